import { appendAudit } from "../audit/log.js";
import { workerActor } from "../identity/actor.js";
import { enqueue } from "../outbox/outbox.js";
import { PermanentFailure } from "../outbox/worker.js";
import { transact } from "../store/transact.js";
import { bulkMessage } from "./bulk.js";
import { parseBulkFile, validateRecord } from "./bulk-parse.js";
import { chunkResults } from "./bulk-rows.js";
export function bulkJobHandler(ctx, options = {}) {
    return {
        handle: async (message) => {
            const { job_id } = message.payload;
            await processBulkJob(ctx, job_id, options);
        },
        // Its delivery gave up: the job says so, rather than stay `running` for ever. Sending the
        // same file with the same Idempotency-Key resumes it (src/notices/bulk.ts).
        onDead: async (trx, message, reason) => {
            const { job_id } = message.payload;
            const failed = await trx
                .updateTable('bulk_jobs')
                .set({ status: 'failed', error: reason.slice(0, 2000) })
                .where('id', '=', job_id)
                .where('status', 'in', ['queued', 'running'])
                .executeTakeFirst();
            if (failed.numUpdatedRows === 0n)
                return;
            await appendAudit(trx, workerActor, { action: 'bulk_job.failed', objectType: 'bulk_job', objectId: job_id, change: { reason } }, ctx.clock());
        },
    };
}
export async function processBulkJob(ctx, jobId, options = {}) {
    const { chunkSize = 200, sliceMs = 5_000 } = options;
    const began = performance.now();
    const job = await ctx.db
        .selectFrom('bulk_jobs')
        .select([
        'id',
        'org_id',
        'submitted_by',
        'submitted_by_type',
        'format',
        'status',
        'total',
        'processed',
        'input',
        'created_at',
    ])
        .where('id', '=', jobId)
        .executeTakeFirst();
    if (!job)
        throw new PermanentFailure(`no bulk job ${jobId}`);
    if (job.status === 'done')
        return;
    if (job.status !== 'running')
        await ctx.db
            .updateTable('bulk_jobs')
            .set({ status: 'running', error: null })
            .where('id', '=', jobId)
            .where('status', '=', job.status)
            .execute();
    const actor = await submitterOf(ctx.db, job);
    const records = recordsOf(job);
    let start = job.processed;
    while (start < job.total) {
        const rows = records.slice(start, start + chunkSize).map(validateRecord);
        const results = await chunkResults(ctx, job, actor, rows);
        const end = start + rows.length;
        const handOver = end < job.total && performance.now() - began >= sliceMs;
        const moved = await commitChunk(ctx, job, start, rows, results, handOver);
        // Another delivery of this job (after a lease expired) committed the chunk first.
        if (moved !== end)
            return;
        if (handOver)
            return;
        start = end;
    }
}
/**
 * The job's records. The file was checked when it was accepted and never changes, so
 * reading it again gives the same rows; the last job's are kept, since the slices of one
 * job follow each other and a 10,000-row file takes a second to read.
 */
let lastRead = null;
function recordsOf(job) {
    if (lastRead?.jobId !== job.id)
        lastRead = { jobId: job.id, records: parseBulkFile(job.input, job.format) };
    return lastRead.records;
}
/**
 * Writes a chunk's results and moves the counters, under the job's row lock; only the
 * delivery that finds `processed` where it started may write. Returns `processed` after.
 */
async function commitChunk(ctx, job, start, rows, results, handOver) {
    const now = ctx.clock();
    return transact(ctx.db, async (trx) => {
        const current = await trx
            .selectFrom('bulk_jobs')
            .select('processed')
            .where('id', '=', job.id)
            .forUpdate()
            .executeTakeFirstOrThrow();
        if (current.processed !== start)
            return current.processed;
        await trx
            .insertInto('bulk_job_rows')
            .values(results.map((r, i) => ({
            job_id: job.id,
            row_number: rows[i].row,
            outcome: r.outcome,
            notice_id: r.notice_id,
            reason: r.reason,
            errors: r.errors && r.errors.length > 0 ? JSON.stringify(r.errors) : null,
        })))
            .execute();
        const end = start + results.length;
        const count = (outcome) => results.filter((r) => r.outcome === outcome).length;
        const done = end >= job.total;
        await trx
            .updateTable('bulk_jobs')
            .set((eb) => ({
            processed: end,
            created_count: eb('created_count', '+', count('created')),
            duplicate_count: eb('duplicate_count', '+', count('duplicate')),
            invalid_count: eb('invalid_count', '+', count('invalid')),
            status: done ? 'done' : 'running',
            finished_at: done ? now : null,
        }))
            .where('id', '=', job.id)
            .execute();
        if (handOver)
            await enqueue(trx, bulkMessage(job.id), now);
        ctx.log.debug({ bulk_job: job.id, processed: end, total: job.total }, 'bulk chunk committed');
        return end;
    });
}
/** The actor that uploaded the file: the notices are theirs, in the audit log too. */
async function submitterOf(db, job) {
    const org = await db
        .selectFrom('organisations')
        .select(['slug', 'kind'])
        .where('id', '=', job.org_id)
        .executeTakeFirstOrThrow();
    const name = job.submitted_by_type === 'key'
        ? (await db.selectFrom('api_keys').select('name').where('id', '=', job.submitted_by).executeTakeFirst())
            ?.name
        : (await db
            .selectFrom('users')
            .select('display_name')
            .where('id', '=', job.submitted_by)
            .executeTakeFirst())?.display_name;
    return {
        type: job.submitted_by_type === 'key' ? 'key' : 'user',
        id: job.submitted_by,
        displayName: name ?? job.submitted_by,
        orgId: job.org_id,
        orgSlug: org.slug,
        orgKind: org.kind,
        // Permissions were checked when the file was accepted; intake needs none of these.
        roles: [],
        permissions: new Set(),
        languages: [],
        jurisdictions: [],
    };
}
