import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { type Actor, workerActor } from '../identity/actor.ts';
import type { OrgKind } from '../identity/permissions.ts';
import { enqueue } from '../outbox/outbox.ts';
import { PermanentFailure, type TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Db } from '../store/db.ts';
import type { BulkJobsTable } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { bulkMessage } from './bulk.ts';
import { type BulkRecord, parseBulkFile, type ValidatedRow, validateRecord } from './bulk-parse.ts';
import { chunkResults, type RowResult } from './bulk-rows.ts';

/**
 * Works off a bulk job, chunk by chunk. Each chunk's row results and the job's `processed`
 * counter commit together, so a worker that dies resumes at the first row without a
 * result. The notices themselves go through the ordinary intake (prepareNotice, then the
 * group commit) with an Idempotency-Key derived from the job and row: a chunk retried
 * after a crash replays the notices it had already created instead of creating them twice.
 *
 * One delivery works for a slice of time, then hands the rest of the job to a new outbox
 * message, so that a 10,000-row job neither outlives its lease nor holds up webhooks
 * queued behind it. Messages of one job share an ordering key: one runs at a time.
 */
export interface BulkProcessingOptions {
  /**
   * Rows whose results commit together. The default matches the intake queue's largest
   * batch, so that a chunk's notices commit in one transaction: 10,000 rows in about 10 s
   * on PostgreSQL and 20 s on PGlite, where chunks of 100 took twice as long.
   */
  chunkSize?: number;
  /** Work on one delivery for about this long before handing over; 0 means one chunk. */
  sliceMs?: number;
}

export type Job = Pick<
  Selectable<BulkJobsTable>,
  | 'id'
  | 'org_id'
  | 'submitted_by'
  | 'submitted_by_type'
  | 'format'
  | 'status'
  | 'total'
  | 'processed'
  | 'input'
  | 'created_at'
>;

export function bulkJobHandler(ctx: AppContext, options: BulkProcessingOptions = {}): TopicHandler {
  return {
    handle: async (message) => {
      const { job_id } = message.payload as { job_id: string };
      await processBulkJob(ctx, job_id, options);
    },
    // Its delivery gave up: the job says so, rather than stay `running` for ever. Sending the
    // same file with the same Idempotency-Key resumes it (src/notices/bulk.ts).
    onDead: async (trx, message, reason) => {
      const { job_id } = message.payload as { job_id: string };
      const failed = await trx
        .updateTable('bulk_jobs')
        .set({ status: 'failed', error: reason.slice(0, 2000) })
        .where('id', '=', job_id)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (failed.numUpdatedRows === 0n) return;
      await appendAudit(
        trx,
        workerActor,
        { action: 'bulk_job.failed', objectType: 'bulk_job', objectId: job_id, change: { reason } },
        ctx.clock(),
      );
    },
  };
}

export async function processBulkJob(
  ctx: AppContext,
  jobId: string,
  options: BulkProcessingOptions = {},
): Promise<void> {
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
  if (!job) throw new PermanentFailure(`no bulk job ${jobId}`);
  if (job.status === 'done') return;
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
    if (moved !== end) return;
    if (handOver) return;
    start = end;
  }
}

/**
 * The job's records. The file was checked when it was accepted and never changes, so
 * reading it again gives the same rows; the last job's are kept, since the slices of one
 * job follow each other and a 10,000-row file takes a second to read.
 */
let lastRead: { jobId: string; records: BulkRecord[] } | null = null;
function recordsOf(job: Job): BulkRecord[] {
  if (lastRead?.jobId !== job.id) lastRead = { jobId: job.id, records: parseBulkFile(job.input, job.format) };
  return lastRead.records;
}

/**
 * Writes a chunk's results and moves the counters, under the job's row lock; only the
 * delivery that finds `processed` where it started may write. Returns `processed` after.
 */
async function commitChunk(
  ctx: AppContext,
  job: Job,
  start: number,
  rows: ValidatedRow[],
  results: RowResult[],
  handOver: boolean,
): Promise<number> {
  const now = ctx.clock();
  return transact(ctx.db, async (trx) => {
    const current = await trx
      .selectFrom('bulk_jobs')
      .select('processed')
      .where('id', '=', job.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.processed !== start) return current.processed;
    await trx
      .insertInto('bulk_job_rows')
      .values(
        results.map((r, i) => ({
          job_id: job.id,
          row_number: rows[i]!.row,
          outcome: r.outcome,
          notice_id: r.notice_id,
          reason: r.reason,
          errors: r.errors && r.errors.length > 0 ? JSON.stringify(r.errors) : null,
        })),
      )
      .execute();
    const end = start + results.length;
    const count = (outcome: RowResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
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
    if (handOver) await enqueue(trx, bulkMessage(job.id), now);
    ctx.log.debug({ bulk_job: job.id, processed: end, total: job.total }, 'bulk chunk committed');
    return end;
  });
}

/** The actor that uploaded the file: the notices are theirs, in the audit log too. */
async function submitterOf(db: Db, job: Job): Promise<Actor> {
  const org = await db
    .selectFrom('organisations')
    .select(['slug', 'kind'])
    .where('id', '=', job.org_id)
    .executeTakeFirstOrThrow();
  const name =
    job.submitted_by_type === 'key'
      ? (await db.selectFrom('api_keys').select('name').where('id', '=', job.submitted_by).executeTakeFirst())
          ?.name
      : (
          await db
            .selectFrom('users')
            .select('display_name')
            .where('id', '=', job.submitted_by)
            .executeTakeFirst()
        )?.display_name;
  return {
    type: job.submitted_by_type === 'key' ? 'key' : 'user',
    id: job.submitted_by,
    displayName: name ?? job.submitted_by,
    orgId: job.org_id,
    orgSlug: org.slug,
    orgKind: org.kind as OrgKind,
    // Permissions were checked when the file was accepted; intake needs none of these.
    roles: [],
    permissions: new Set(),
    languages: [],
    jurisdictions: [],
  };
}
