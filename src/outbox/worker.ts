import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import type { OutboxLane } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { databaseUnavailable } from '../store/unavailable.ts';
import { type BackoffPolicy, defaultBackoff, retryDelayMs } from './backoff.ts';
import { recordEndpointFailure } from './circuit.ts';
import { lanes as allLanes } from './lanes.ts';

export interface ClaimedMessage {
  id: string;
  topic: string;
  orderingKey: string | null;
  /** The external endpoint it calls, if any (its circuit breaker: src/outbox/circuit.ts). */
  endpoint: string | null;
  payload: unknown;
  /** 1 on the first try. */
  attempt: number;
}

/** A handler throws to retry later; PermanentFailure ends retries at once. */
export type Handler = (message: ClaimedMessage) => Promise<void>;

export class PermanentFailure extends Error {}

/** Thrown by a handler that was told when to come back (e.g. HTTP 429 with Retry-After). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super(message);
  }
}

export interface TopicHandler {
  handle: Handler;
  backoff?: BackoffPolicy;
  /**
   * Called when a message of this topic dies (a permanent failure, or its last attempt), in
   * the transaction that marks it dead: what waited on it can say it failed.
   */
  onDead?: (trx: Db, message: ClaimedMessage, reason: string) => Promise<void>;
}

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  handlers: Record<string, TopicHandler>;
  /**
   * The lanes this worker claims, in priority order (src/outbox/lanes.ts); all by default.
   * A process runs one worker per lane, so that enforcement never waits behind a slow batch
   * of webhooks.
   */
  lanes?: readonly OutboxLane[];
  /** How long a claimed message is reserved for the worker that claimed it. */
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
}

/**
 * Claims due messages with FOR UPDATE SKIP LOCKED, so any number of workers (in this
 * process or others) share the work without taking the same message twice. A claim is a
 * lease: if the worker dies mid-delivery, the message becomes due again when it expires.
 * Delivery is therefore at-least-once; receivers recognise repeats by the message's id.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private wakeRequested = false;
  private failedPasses = 0;
  private readonly options: Required<Omit<OutboxWorkerOptions, 'handlers'>> & {
    handlers: Record<string, TopicHandler>;
  };

  constructor(options: OutboxWorkerOptions) {
    this.options = { leaseMs: 60_000, batchSize: 20, pollMs: 250, lanes: allLanes, ...options };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Ask for a pass soon, e.g. right after a transaction wrote to the outbox. */
  wake(): void {
    if (this.running) this.wakeRequested = true;
    else if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
  }

  private async loop(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    let delivered = 0;
    let failed = false;
    try {
      delivered = await this.runOnce();
      this.failedPasses = 0;
    } catch (error) {
      failed = true;
      this.failedPasses += 1;
      // While the database is down every pass fails alike: say so once, then quietly.
      const unavailable = databaseUnavailable(error);
      if (!unavailable) this.options.log.error({ err: error }, 'outbox pass failed');
      else if (this.failedPasses === 1)
        this.options.log.warn({ reason: unavailable }, 'outbox pass failed: the database is unavailable');
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    const again = !failed && (delivered > 0 || this.wakeRequested);
    this.wakeRequested = false;
    // After failed passes, wait longer each time (up to 5 s), so that an outage is not
    // met with a storm of connection attempts; the first pass after it resumes the work.
    const pause = failed
      ? Math.min(5_000, this.options.pollMs * 2 ** Math.min(this.failedPasses, 5))
      : this.options.pollMs;
    this.schedule(again ? 0 : pause);
  }

  /** One pass: claim a batch and deliver it. Returns how many were handled. */
  async runOnce(): Promise<number> {
    const topics = Object.keys(this.options.handlers);
    if (topics.length === 0) return 0;
    const claimed = await claim(
      this.options.db,
      topics,
      this.options.lanes,
      this.options.batchSize,
      this.options.leaseMs,
      this.options.clock(),
    );
    await Promise.all(claimed.map((message) => this.deliver(message)));
    return claimed.length;
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    const { db, clock, log } = this.options;
    const handler = this.options.handlers[message.topic]!;
    try {
      await handler.handle(message);
      await settleDone(db, message, clock());
    } catch (error) {
      const policy = handler.backoff ?? defaultBackoff;
      const reason = error instanceof Error ? error.message : String(error);
      const dead = error instanceof PermanentFailure || message.attempt >= policy.maxAttempts;
      const delay = error instanceof RetryLater ? error.afterMs : retryDelayMs(policy, message.attempt);
      log.warn(
        { outbox_id: message.id, topic: message.topic, attempt: message.attempt, dead, reason },
        'outbox delivery failed',
      );
      const settle = async (trx: Db) => {
        await trx
          .updateTable('outbox')
          .set({
            status: dead ? 'dead' : 'pending',
            next_attempt_at: new Date(clock().getTime() + delay),
            locked_until: null,
            last_error: reason.slice(0, 2000),
          })
          .where('id', '=', message.id)
          .execute();
        if (dead) await handler.onDead?.(trx, message, reason);
      };
      if (dead && handler.onDead) await transact(db, settle);
      else await settle(db);
      // The endpoint's circuit opens: its other messages wait for the next attempt.
      if (message.endpoint)
        await recordEndpointFailure(db, message.endpoint, reason, clock(), {
          ...(error instanceof RetryLater ? { afterMs: error.afterMs } : {}),
        });
    }
  }
}

/**
 * A delivered message is done, and its endpoint's circuit closes (src/outbox/circuit.ts): in
 * one statement, a data-modifying CTE, so that a message costs one round trip to settle.
 */
async function settleDone(db: Db, message: ClaimedMessage, now: Date): Promise<void> {
  const done = { status: 'done', done_at: now, locked_until: null, last_error: null } as const;
  if (!message.endpoint) {
    await db.updateTable('outbox').set(done).where('id', '=', message.id).execute();
    return;
  }
  await db
    .with('done', (qc) => qc.updateTable('outbox').set(done).where('id', '=', message.id))
    .deleteFrom('outbox_endpoints')
    .where('endpoint', '=', message.endpoint)
    .execute();
}

async function claim(
  db: Db,
  topics: string[],
  lanes: readonly OutboxLane[],
  limit: number,
  leaseMs: number,
  now: Date,
): Promise<ClaimedMessage[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  // Only the oldest pending message of each ordering key is eligible, so messages about
  // one subject leave in the order they were written, even across retries. Lanes are taken
  // in priority order (enforcement first), oldest first within a lane. A message to an
  // endpoint whose circuit is open waits; when it is half-open, only its oldest due message
  // goes, as a probe, and none while a probe is in flight.
  const result = await sql<{
    id: string;
    topic: string;
    ordering_key: string | null;
    endpoint: string | null;
    payload: unknown;
    attempts: number;
  }>`
    update outbox set locked_until = ${leaseEnd}, attempts = attempts + 1
    where id in (
      select o.id from outbox o
      where o.status = 'pending'
        and o.topic = any(${topics})
        and o.lane = any(${[...lanes]})
        and o.next_attempt_at <= ${now}
        and (o.locked_until is null or o.locked_until < ${now})
        and (o.ordering_key is null or not exists (
          select 1 from outbox e
          where e.ordering_key = o.ordering_key and e.status = 'pending' and e.seq < o.seq))
        and (o.endpoint is null or not exists (
          select 1 from outbox_endpoints c
          where c.endpoint = o.endpoint
            and (c.open_until > ${now}
              or exists (
                select 1 from outbox p
                where p.endpoint = o.endpoint and p.status = 'pending' and p.locked_until >= ${now})
              or o.seq <> (
                select min(x.seq) from outbox x
                where x.endpoint = o.endpoint and x.status = 'pending' and x.next_attempt_at <= ${now}))))
      order by case o.lane when 'enforcement' then 0 when 'notification' then 1 else 2 end, o.seq
      limit ${limit}
      for update skip locked
    )
    returning id, topic, ordering_key, endpoint, payload, attempts`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    orderingKey: row.ordering_key,
    endpoint: row.endpoint,
    payload: row.payload,
    attempt: row.attempts,
  }));
}

/** Puts a dead or finished message back in line, e.g. a redelivery asked for by hand. */
export async function redeliver(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, locked_until: null, attempts: 0 })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
