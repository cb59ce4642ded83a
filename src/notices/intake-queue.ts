import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import type { IntakeResult, PreparedNotice } from './intake.ts';
import { commitNotices } from './intake-commit.ts';

/**
 * Group commit for notices. Every receipt costs a durable commit (an fsync); committing
 * notices one by one caps intake at a few hundred a second, whatever the hardware. So
 * prepared notices wait here while a commit is under way, and the next transaction takes
 * all that queued up. An idle queue commits a lone notice at once, so latency stays low;
 * a busy one makes larger batches, so throughput grows with load.
 *
 * A notice is answered only after its transaction has committed: nothing acknowledged is
 * lost. If a batch fails, its notices are retried one by one, so that one bad notice does
 * not take the others down with it.
 */
interface Waiting {
  prepared: PreparedNotice;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

export interface IntakeQueueOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Largest batch in one transaction. */
  maxBatch?: number;
  /** Transactions under way at once. */
  concurrency?: number;
}

export class IntakeQueue {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(private readonly options: IntakeQueueOptions) {
    this.maxBatch = options.maxBatch ?? 200;
    this.concurrency = options.concurrency ?? 2;
  }

  submit(prepared: PreparedNotice): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ prepared, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const began = performance.now();
    try {
      const outcomes = await this.options.db.transaction().execute((trx) =>
        commitNotices(
          trx,
          batch.map((w) => w.prepared),
          this.options.clock(),
        ),
      );
      this.options.log.debug({ size: batch.length, ms: Math.round(performance.now() - began) }, 'intake batch committed');
      outcomes.forEach((outcome, i) => (outcome instanceof DomainError ? batch[i]!.reject(outcome) : batch[i]!.resolve(outcome)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.options.log.warn({ err: error, size: batch.length }, 'intake batch failed; committing its notices one by one');
      for (const waiting of batch) await this.commit([waiting]);
    }
  }
}
