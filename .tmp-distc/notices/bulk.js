import { appendAudit } from "../audit/log.js";
import { sha256Hex } from "../core/canonical-json.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { seesAllOrganisations } from "../identity/actor.js";
import { enqueue } from "../outbox/outbox.js";
import { transact } from "../store/transact.js";
import { parseBulkFile } from "./bulk-parse.js";
/**
 * Bulk intake, the use cases: accept a file as a job, and read a job's progress and rows.
 * The file is stored whole with the job and an outbox message in one transaction, so a
 * crash after the 202 loses nothing; src/notices/bulk-processing.ts works the job off.
 */
export const BULK_TOPIC = 'bulk.process';
export const bulkMessage = (jobId) => ({
    topic: BULK_TOPIC,
    orderingKey: `bulk:${jobId}`,
    payload: { job_id: jobId },
});
const scopeOf = (orgId) => `bulk:${orgId}`;
export async function acceptBulkJob(db, actor, upload, now, options) {
    // Refused here rather than row by row: a suspended flagger's file could only fail whole.
    const org = await db
        .selectFrom('organisations')
        .select('flagger_status')
        .where('id', '=', actor.orgId)
        .executeTakeFirstOrThrow();
    if (org.flagger_status === 'suspended') {
        throw forbidden('your organisation’s notices are suspended (DSA Art. 23(2)); contact the platform');
    }
    // Read the whole file now, so that a file tapis cannot read is a 400 and not a failed job.
    const total = parseBulkFile(upload.text, upload.format).length;
    const fileDigest = sha256Hex(`${upload.format}\n${upload.text}`);
    const answer = (jobId, status, count) => ({
        job_id: jobId,
        status,
        total: count,
        status_url: `${options.publicUrl}/v1/notices/bulk/${jobId}`,
    });
    return transact(db, async (trx) => {
        const jobId = newId();
        if (options.idempotencyKey) {
            const earlier = await claimKey(trx, actor.orgId, options.idempotencyKey, fileDigest, jobId);
            if (earlier) {
                const job = await trx
                    .selectFrom('bulk_jobs')
                    .select(['status', 'total', 'processed'])
                    .where('id', '=', earlier)
                    .executeTakeFirstOrThrow();
                if (job.status !== 'failed')
                    return answer(earlier, job.status, job.total);
                // The same file again, after the job failed: it resumes where it stopped.
                await trx
                    .updateTable('bulk_jobs')
                    .set({ status: 'queued', error: null })
                    .where('id', '=', earlier)
                    .where('status', '=', 'failed')
                    .execute();
                await queueJob(trx, actor, earlier, 'bulk_job.resumed', { processed: job.processed }, now);
                return answer(earlier, 'queued', job.total);
            }
        }
        await trx
            .insertInto('bulk_jobs')
            .values({
            id: jobId,
            org_id: actor.orgId,
            submitted_by: actor.id,
            submitted_by_type: actor.type,
            format: upload.format,
            status: 'queued',
            total,
            input: upload.text,
            created_at: now,
        })
            .execute();
        await queueJob(trx, actor, jobId, 'bulk_job.received', { format: upload.format, total, sha256: fileDigest }, now);
        return answer(jobId, 'queued', total);
    });
}
/** Hands a job to the workers (through the outbox) and audits why, in the caller's transaction. */
async function queueJob(trx, actor, jobId, action, change, now) {
    await enqueue(trx, bulkMessage(jobId), now);
    await appendAudit(trx, actor, { action, objectType: 'bulk_job', objectId: jobId, change }, now);
}
/**
 * Claims an Idempotency-Key for a new job. Returns the earlier job's id when the key was
 * used with the same file; a different file under the same key is a 409. A concurrent
 * claim waits on the key's unique index until the first transaction ends.
 */
async function claimKey(trx, orgId, key, fileDigest, jobId) {
    const claimed = await trx
        .insertInto('idempotency_keys')
        .values({
        scope: scopeOf(orgId),
        key,
        request_digest: fileDigest,
        status_code: 202,
        response: JSON.stringify({ job_id: jobId }),
    })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
    if (claimed)
        return null;
    const earlier = await trx
        .selectFrom('idempotency_keys')
        .select(['request_digest', 'response'])
        .where('scope', '=', scopeOf(orgId))
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
    if (earlier.request_digest !== fileDigest) {
        throw conflict('this Idempotency-Key was used with a different file; use a new key for a new file');
    }
    return earlier.response.job_id;
}
/** Bulk jobs, newest first, with their counters. A flagger sees its own organisation's only. */
export async function listBulkJobs(db, actor, query) {
    let jobs = jobColumns(db).orderBy('bulk_jobs.created_at', 'desc').orderBy('bulk_jobs.id', 'desc');
    if (!seesAllOrganisations(actor))
        jobs = jobs.where('bulk_jobs.org_id', '=', actor.orgId);
    if (query.before) {
        let cursors = db.selectFrom('bulk_jobs').select(['created_at', 'id']).where('id', '=', query.before);
        // Another organisation's job is no cursor for a flagger: as if it did not exist.
        if (!seesAllOrganisations(actor))
            cursors = cursors.where('org_id', '=', actor.orgId);
        const cursor = await cursors.executeTakeFirst();
        if (!cursor)
            throw notFound(`no bulk job ${query.before}`);
        jobs = jobs.where((eb) => eb.or([
            eb('bulk_jobs.created_at', '<', cursor.created_at),
            eb.and([eb('bulk_jobs.created_at', '=', cursor.created_at), eb('bulk_jobs.id', '<', cursor.id)]),
        ]));
    }
    const page = await jobs.limit(query.limit + 1).execute();
    const more = page.length > query.limit;
    const shown = more ? page.slice(0, query.limit) : page;
    return { items: shown.map(jobCounters), next_before: more ? shown.at(-1).id : null };
}
function jobColumns(db) {
    return db
        .selectFrom('bulk_jobs')
        .innerJoin('organisations', 'organisations.id', 'bulk_jobs.org_id')
        .select([
        'bulk_jobs.id',
        'organisations.slug as org',
        'bulk_jobs.format',
        'bulk_jobs.status',
        'bulk_jobs.total',
        'bulk_jobs.processed',
        'bulk_jobs.created_count',
        'bulk_jobs.duplicate_count',
        'bulk_jobs.invalid_count',
        'bulk_jobs.created_at',
        'bulk_jobs.finished_at',
        'bulk_jobs.error',
    ]);
}
function jobCounters(job) {
    return {
        job_id: job.id,
        org: job.org,
        format: job.format,
        status: job.status,
        total: job.total,
        processed: job.processed,
        created: job.created_count,
        duplicate: job.duplicate_count,
        invalid: job.invalid_count,
        created_at: job.created_at,
        finished_at: job.finished_at,
        error: job.error,
    };
}
/** A job's progress and a page of its row results. A flagger sees its own organisation's jobs only. */
export async function bulkJobView(db, actor, id, query) {
    let jobs = jobColumns(db).where('bulk_jobs.id', '=', id);
    if (!seesAllOrganisations(actor))
        jobs = jobs.where('bulk_jobs.org_id', '=', actor.orgId);
    const job = await jobs.executeTakeFirst();
    if (!job)
        throw notFound(`no bulk job ${id}`);
    let rows = db
        .selectFrom('bulk_job_rows')
        .select(['row_number', 'outcome', 'notice_id', 'reason', 'errors'])
        .where('job_id', '=', id)
        .where('row_number', '>', query.after_row)
        .orderBy('row_number')
        .limit(query.limit + 1);
    if (query.outcome)
        rows = rows.where('outcome', '=', query.outcome);
    const page = query.limit > 0 ? await rows.execute() : [];
    const more = page.length > query.limit;
    const shown = more ? page.slice(0, query.limit) : page;
    return {
        ...jobCounters(job),
        rows: shown.map((r) => ({
            row: r.row_number,
            outcome: r.outcome,
            ...(r.notice_id ? { notice_id: r.notice_id } : {}),
            ...(r.reason ? { reason: r.reason } : {}),
            ...(r.errors ? { errors: r.errors } : {}),
        })),
        next_after_row: more ? shown.at(-1).row_number : null,
    };
}
