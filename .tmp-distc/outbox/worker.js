import { sql } from 'kysely';
import { transact } from "../store/transact.js";
import { defaultBackoff, retryDelayMs } from "./backoff.js";
export class PermanentFailure extends Error {
}
/** Thrown by a handler that was told when to come back (e.g. HTTP 429 with Retry-After). */
export class RetryLater extends Error {
    afterMs;
    constructor(message, afterMs) {
        super(message);
        this.afterMs = afterMs;
    }
}
/**
 * Claims due messages with FOR UPDATE SKIP LOCKED, so any number of workers (in this
 * process or others) share the work without taking the same message twice. A claim is a
 * lease: if the worker dies mid-delivery, the message becomes due again when it expires.
 * Delivery is therefore at-least-once; receivers recognise repeats by the message's id.
 */
export class OutboxWorker {
    timer = null;
    running = false;
    stopped = true;
    wakeRequested = false;
    options;
    constructor(options) {
        this.options = { leaseMs: 60_000, batchSize: 20, pollMs: 250, ...options };
    }
    start() {
        this.stopped = false;
        this.schedule(0);
    }
    async stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        while (this.running)
            await new Promise((resolve) => setTimeout(resolve, 10));
    }
    /** Ask for a pass soon, e.g. right after a transaction wrote to the outbox. */
    wake() {
        if (this.running)
            this.wakeRequested = true;
        else if (!this.stopped)
            this.schedule(0);
    }
    schedule(ms) {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.loop(), ms);
    }
    async loop() {
        if (this.stopped || this.running)
            return;
        this.running = true;
        let delivered = 0;
        try {
            delivered = await this.runOnce();
        }
        catch (error) {
            this.options.log.error({ err: error }, 'outbox pass failed');
        }
        finally {
            this.running = false;
        }
        if (this.stopped)
            return;
        const again = delivered > 0 || this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(again ? 0 : this.options.pollMs);
    }
    /** One pass: claim a batch and deliver it. Returns how many were handled. */
    async runOnce() {
        const topics = Object.keys(this.options.handlers);
        if (topics.length === 0)
            return 0;
        const claimed = await claim(this.options.db, topics, this.options.batchSize, this.options.leaseMs, this.options.clock());
        await Promise.all(claimed.map((message) => this.deliver(message)));
        return claimed.length;
    }
    async deliver(message) {
        const { db, clock, log } = this.options;
        const handler = this.options.handlers[message.topic];
        try {
            await handler.handle(message);
            await db
                .updateTable('outbox')
                .set({ status: 'done', done_at: clock(), locked_until: null, last_error: null })
                .where('id', '=', message.id)
                .execute();
        }
        catch (error) {
            const policy = handler.backoff ?? defaultBackoff;
            const reason = error instanceof Error ? error.message : String(error);
            const dead = error instanceof PermanentFailure || message.attempt >= policy.maxAttempts;
            const delay = error instanceof RetryLater ? error.afterMs : retryDelayMs(policy, message.attempt);
            log.warn({ outbox_id: message.id, topic: message.topic, attempt: message.attempt, dead, reason }, 'outbox delivery failed');
            const settle = async (trx) => {
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
                if (dead)
                    await handler.onDead?.(trx, message, reason);
            };
            if (dead && handler.onDead)
                await transact(db, settle);
            else
                await settle(db);
        }
    }
}
async function claim(db, topics, limit, leaseMs, now) {
    const leaseEnd = new Date(now.getTime() + leaseMs);
    // Only the oldest pending message of each ordering key is eligible, so messages about
    // one subject leave in the order they were written, even across retries.
    const result = await sql `
    update outbox set locked_until = ${leaseEnd}, attempts = attempts + 1
    where id in (
      select o.id from outbox o
      where o.status = 'pending'
        and o.topic = any(${topics})
        and o.next_attempt_at <= ${now}
        and (o.locked_until is null or o.locked_until < ${now})
        and (o.ordering_key is null or not exists (
          select 1 from outbox e
          where e.ordering_key = o.ordering_key and e.status = 'pending' and e.seq < o.seq))
      order by o.seq
      limit ${limit}
      for update skip locked
    )
    returning id, topic, ordering_key, payload, attempts`.execute(db);
    return result.rows.map((row) => ({
        id: row.id,
        topic: row.topic,
        orderingKey: row.ordering_key,
        payload: row.payload,
        attempt: row.attempts,
    }));
}
/** Puts a dead or finished message back in line, e.g. a redelivery asked for by hand. */
export async function redeliver(db, id, now) {
    const result = await db
        .updateTable('outbox')
        .set({ status: 'pending', next_attempt_at: now, locked_until: null, attempts: 0 })
        .where('id', '=', id)
        .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
}
