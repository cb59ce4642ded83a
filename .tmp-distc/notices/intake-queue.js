import { DomainError } from "../core/errors.js";
import { commitNotices } from "./intake-commit.js";
/**
 * Two transactions at most, in two stages. A batch first writes its notices, cases, targets
 * and events; then it appends to the audit chain, whose lock it holds until it commits. The
 * next batch starts as soon as the one before it reaches the second stage, so that its
 * writes overlap that batch's audit append and commit (the fsync), and it takes every notice
 * that queued meanwhile. Starting it sooner would only split the queue into smaller batches,
 * more statements for the same notices, on a machine where CPU is what runs out first.
 */
export class IntakeQueue {
    options;
    waiting = [];
    /** Whether a batch is in its first stage; how many batches are under way. */
    writing = false;
    inFlight = 0;
    maxBatch;
    constructor(options) {
        this.options = options;
        this.maxBatch = options.maxBatch ?? 200;
    }
    submit(prepared) {
        return new Promise((resolve, reject) => {
            this.waiting.push({ prepared, at: performance.now(), resolve, reject });
            this.pump();
        });
    }
    pump() {
        if (this.writing || this.inFlight >= 2 || this.waiting.length === 0)
            return;
        const batch = this.waiting.splice(0, this.maxBatch);
        this.writing = true;
        this.inFlight += 1;
        let written = false;
        const onWritten = () => {
            if (written)
                return;
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
    async commit(batch, onWritten) {
        const began = performance.now();
        const waited = began - batch[0].at;
        try {
            // A batch PostgreSQL aborts to break a deadlock is run again whole (src/store/transact.ts).
            const outcomes = await this.options.store.pipelinedTransaction((trx) => commitNotices(trx, batch.map((w) => w.prepared), this.options.clock(), onWritten));
            this.options.log.debug({ size: batch.length, ms: Math.round(performance.now() - began), waited: Math.round(waited) }, 'intake batch committed');
            for (const [i, outcome] of outcomes.entries()) {
                if (outcome instanceof DomainError)
                    batch[i].reject(outcome);
                else
                    batch[i].resolve(outcome);
            }
        }
        catch (error) {
            onWritten();
            if (batch.length === 1) {
                batch[0].reject(error);
                return;
            }
            this.options.log.warn({ err: error, size: batch.length }, 'intake batch failed; committing its notices one by one');
            for (const waiting of batch)
                await this.commit([waiting], () => { });
        }
    }
}
