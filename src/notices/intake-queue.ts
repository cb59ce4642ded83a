import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Db, Store } from '../store/db.ts';
import { databaseUnavailable } from '../store/unavailable.ts';
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
  /** When it was queued (performance.now()). */
  at: number;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

export interface IntakeQueueOptions {
  /** Where batches commit: in pipelined transactions, so that independent statements share a round trip. */
  store: Pick<Store, 'pipelinedTransaction'>;
  clock: Clock;
  log: Logger;
  /** Largest batch in one transaction. */
  maxBatch?: number;
}

/**
 * Two transactions at most, in two stages. A batch first writes its notices, cases, targets
 * and events; then it appends to the audit chain, whose lock it holds until it commits. The
 * next batch starts as soon as the one before it reaches the second stage, so that its
 * writes overlap that batch's audit append and commit (the fsync), and it takes every notice
 * that queued meanwhile. Starting it sooner would only split the queue into smaller batches,
 * more statements for the same notices, on a machine where CPU is what runs out first.
 */
export class IntakeQueue {
  private readonly waiting: Waiting[] = [];
  /** Whether a batch is in its first stage; how many batches are under way. */
  private writing = false;
  private inFlight = 0;
  private readonly maxBatch: number;

  constructor(private readonly options: IntakeQueueOptions) {
    this.maxBatch = options.maxBatch ?? 200;
  }

  submit(prepared: PreparedNotice): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ prepared, at: performance.now(), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.writing || this.inFlight >= 2 || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.writing = true;
    this.inFlight += 1;
    let written = false;
    const onWritten = () => {
      if (written) return;
      written = true;
      this.writing = false;
      this.pump();
    };
    void this.commit(batch, onWritten).finally(() => {
      this.inFlight -= 1;
      onWritten();
      this.pump();
    });
  }

  private async commit(batch: Waiting[], onWritten: () => void): Promise<void> {
    const began = performance.now();
    const waited = began - batch[0]!.at;
    try {
      // A batch PostgreSQL aborts to break a deadlock is run again whole (src/store/transact.ts).
      const outcomes = await this.options.store.pipelinedTransaction((trx: Db) =>
        commitNotices(
          trx,
          batch.map((w) => w.prepared),
          this.options.clock(),
          onWritten,
        ),
      );
      this.options.log.debug(
        { size: batch.length, ms: Math.round(performance.now() - began), waited: Math.round(waited) },
        'intake batch committed',
      );
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome instanceof DomainError) batch[i]!.reject(outcome);
        else batch[i]!.resolve(outcome);
      }
    } catch (error) {
      onWritten();
      // A database that is gone fails every notice alike: one by one would keep the last of
      // them waiting for a timeout each, and so would the notices queued behind this batch
      // (decision 0015). All of them are refused now, 503 with Retry-After; none was stored.
      if (databaseUnavailable(error)) {
        for (const waiting of [...batch, ...this.waiting.splice(0)]) waiting.reject(error);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.options.log.warn(
        { err: error, size: batch.length },
        'intake batch failed; committing its notices one by one',
      );
      for (const waiting of batch) await this.commit([waiting], () => {});
    }
  }
}
