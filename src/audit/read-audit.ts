import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { appendAuditMany } from './log.ts';

/**
 * Reads by officials are audited (MR5; issue 14 §8): every successful read of a notice, its
 * thread or evidence, a case file, a data-request package or the audit log itself, by a
 * person (session) or an organisation's system (API key), becomes an audit entry
 * `read.<object>`. To keep reads fast the entries are buffered in memory and appended in one
 * transaction every `flushMs` or `maxEntries`, whichever comes first, and on shutdown (the
 * server's onClose). The same caller reading the same record again within `coalesceMs` is
 * one entry: the first read is what is recorded (docs/decisions/0018).
 *
 * A route asks for it with `config.auditRead` ({ object, param }); the hook runs after the
 * answer is sent, so the read's latency does not include the audit.
 */
export interface AuditRead {
  /** The audit entry's object_type, and its action `read.<object>`. */
  object: string;
  /** The route parameter that holds the object's id; absent: the query string is the id. */
  param?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auditRead?: AuditRead;
  }
}

export interface ReadAuditOptions {
  flushMs?: number;
  maxEntries?: number;
  coalesceMs?: number;
}

interface PendingRead {
  actor: Actor;
  object: string;
  id: string;
  route: string;
  at: Date;
}

/** Entries kept when the database cannot be written: beyond this the oldest are dropped, and logged. */
const MAX_BUFFERED = 50_000;

export class ReadAuditBuffer {
  private pending: PendingRead[] = [];
  private readonly recent = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  readonly flushMs: number;
  readonly maxEntries: number;
  readonly coalesceMs: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: ReadAuditOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.maxEntries = options.maxEntries ?? 200;
    this.coalesceMs = options.coalesceMs ?? 60_000;
  }

  /** Records a read; returns false when it was coalesced into an earlier one. */
  record(actor: Actor, object: string, id: string, route: string, at: Date): boolean {
    const key = `${actor.type}:${actor.id}|${object}|${id}`;
    const last = this.recent.get(key);
    if (last !== undefined && at.getTime() - last < this.coalesceMs && at.getTime() >= last) return false;
    this.recent.set(key, at.getTime());
    if (this.recent.size > 10_000) this.prune(at.getTime());
    this.pending.push({ actor, object, id, route, at });
    if (this.pending.length > MAX_BUFFERED) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_BUFFERED);
      this.log.error({ dropped: dropped.length }, 'read audit buffer full: oldest reads dropped');
    }
    if (this.pending.length >= this.maxEntries) void this.flush();
    else if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
    return true;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Appends everything buffered, in one transaction; waits for a flush already under way. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = (async () => {
      try {
        await transact(this.db, async (trx) => {
          // One chain lock for the batch; each entry keeps the time of its read.
          const byTime = batch.map((read) => ({
            actor: read.actor,
            record: {
              action: `read.${read.object}`,
              objectType: read.object,
              objectId: read.id,
              change: { route: read.route, read_at: read.at.toISOString() },
            },
          }));
          await appendAuditMany(trx, byTime, batch[batch.length - 1]!.at);
        });
      } catch (error) {
        // Kept for the next flush: a read audit is not lost because the database blinked.
        this.pending = [...batch, ...this.pending];
        this.log.error({ err: error, reads: batch.length }, 'read audit flush failed; will retry');
        if (!this.closed && !this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.flushMs * 5);
          this.timer.unref();
        }
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** On shutdown: no new timer, and everything buffered is written. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private prune(now: number): void {
    for (const [key, at] of this.recent) if (now - at >= this.coalesceMs) this.recent.delete(key);
  }
}

/** The hook that turns a route's `config.auditRead` into a buffered audit entry. */
export function registerReadAudit(app: FastifyInstance, buffer: ReadAuditBuffer, clock: () => Date): void {
  app.addHook('onResponse', async (request, reply) => {
    const audit = request.routeOptions.config.auditRead;
    if (!audit || !request.actor || reply.statusCode < 200 || reply.statusCode >= 300) return;
    const params = request.params as Record<string, string>;
    const id = audit.param
      ? (params[audit.param] ?? '')
      : new URLSearchParams(request.url.split('?')[1] ?? '').toString().slice(0, 200) || '*';
    buffer.record(request.actor, audit.object, id, request.routeOptions.url ?? request.url, clock());
  });
  app.addHook('onClose', async () => {
    await buffer.close();
  });
}
