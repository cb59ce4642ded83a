import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { type BackoffPolicy, retryDelayMs } from './backoff.ts';

/**
 * A circuit breaker per external endpoint (decision 0008). Each failed attempt opens the
 * endpoint's circuit for a time that doubles with every consecutive failure; while it is
 * open, none of the endpoint's messages are claimed (src/outbox/worker.ts), so a dead
 * webhook costs one attempt per back-off period, not one per pending event. When the time
 * is up the circuit is half-open: one message goes through as a probe, and its success
 * closes the circuit for all of them.
 */
export const defaultBreaker: BackoffPolicy = { baseMs: 2_000, maxMs: 30 * 60_000, maxAttempts: 0 };

export async function recordEndpointFailure(
  db: Db,
  endpoint: string,
  reason: string,
  now: Date,
  options: { policy?: BackoffPolicy; afterMs?: number } = {},
): Promise<Date> {
  const { failures } = await db
    .insertInto('outbox_endpoints')
    .values({ endpoint, failures: 1, open_until: now, last_error: reason.slice(0, 500), updated_at: now })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({
        failures: sql`outbox_endpoints.failures + 1`,
        last_error: reason.slice(0, 500),
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const delay = options.afterMs ?? retryDelayMs(options.policy ?? defaultBreaker, failures);
  const openUntil = new Date(now.getTime() + delay);
  await db
    .updateTable('outbox_endpoints')
    .set({ open_until: sql`greatest(open_until, ${openUntil}::timestamptz)` })
    .where('endpoint', '=', endpoint)
    .execute();
  return openUntil;
}

/* A delivery that went through closes the circuit: src/outbox/worker.ts, settleDone. */
