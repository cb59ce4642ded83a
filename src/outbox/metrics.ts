import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import { lanes } from './lanes.ts';

/**
 * How far behind each outbox lane is: the age of its oldest pending message, and how many
 * wait. An enforcement lane whose oldest item grows means removals are late (decision 0008).
 * Read at scrape time, one grouped query.
 */
export function registerOutboxMetrics(registry: Registry, db: Db, clock: Clock): void {
  const rows = async () =>
    (
      await sql<{ lane: string; oldest: Date | string; pending: string | number }>`
        select lane, min(created_at) as oldest, count(*) as pending
        from outbox where status = 'pending' group by lane`.execute(db)
    ).rows;
  let last: Awaited<ReturnType<typeof rows>> | null = null;
  new Gauge({
    name: 'tapis_outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending outbox message, by lane (0 when none is pending)',
    labelNames: ['lane'] as const,
    registers: [registry],
    async collect() {
      last = await rows();
      const now = clock().getTime();
      for (const lane of lanes) {
        const row = last.find((r) => r.lane === lane);
        const age = row ? Math.max(0, (now - new Date(row.oldest).getTime()) / 1000) : 0;
        this.set({ lane }, age);
      }
    },
  });
  new Gauge({
    name: 'tapis_outbox_pending',
    help: 'Pending outbox messages, by lane',
    labelNames: ['lane'] as const,
    registers: [registry],
    async collect() {
      const current = last ?? (await rows());
      last = null;
      for (const lane of lanes)
        this.set({ lane }, Number(current.find((r) => r.lane === lane)?.pending ?? 0));
    },
  });
}
