import type { Selectable } from 'kysely';
import { canonicalDigest } from '../core/canonical-json.ts';
import { DomainError, type FieldIssue } from '../core/errors.ts';
import type { Actor } from '../identity/actor.ts';
import type { OrgKind } from '../identity/permissions.ts';
import { enqueue } from '../outbox/outbox.ts';
import { PermanentFailure, type TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Db } from '../store/db.ts';
import type { BulkJobRowsTable, BulkJobsTable } from '../store/schema/index.ts';
import { bulkMessage } from './bulk.ts';
import { parseBulkFile, type ValidatedRow, validateRecord } from './bulk-parse.ts';
import { prepareNotice } from './intake.ts';
import type { NoticeInput } from './notice-input.ts';

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
  /** Rows per transaction. */
  chunkSize?: number;
  /** Work on one delivery for about this long before handing over; 0 means one chunk. */
  sliceMs?: number;
}

interface RowResult {
  outcome: BulkJobRowsTable['outcome'];
  notice_id: string | null;
  reason: string | null;
  errors: FieldIssue[] | null;
}

type Job = Pick<
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
  };
}

export async function processBulkJob(
  ctx: AppContext,
  jobId: string,
  options: BulkProcessingOptions = {},
): Promise<void> {
  const { chunkSize = 100, sliceMs = 5_000 } = options;
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
  if (job.status === 'queued')
    await ctx.db
      .updateTable('bulk_jobs')
      .set({ status: 'running' })
      .where('id', '=', jobId)
      .where('status', '=', 'queued')
      .execute();
  const actor = await submitterOf(ctx.db, job);
  // The file was checked when it was accepted; reading it again gives the same rows.
  const records = parseBulkFile(job.input, job.format);
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

/** What each row of a chunk comes to: invalid, a duplicate, or a notice created (or replayed). */
async function chunkResults(
  ctx: AppContext,
  job: Job,
  actor: Actor,
  rows: ValidatedRow[],
): Promise<RowResult[]> {
  const results: (RowResult | null)[] = rows.map((r) =>
    'problem' in r
      ? { outcome: 'invalid', notice_id: null, reason: r.problem.reason, errors: r.problem.errors }
      : null,
  );
  const valid = rows.flatMap((r, i) =>
    'notice' in r ? [{ i, row: r.row, notice: r.notice, digest: canonicalDigest(r.notice) }] : [],
  );
  const earlier = await earlierNotices(ctx.db, job, [...new Set(valid.map((v) => v.digest))]);
  const firstInChunk = new Map<string, { i: number; row: number }>();
  const fresh: { i: number; row: number; notice: NoticeInput }[] = [];
  const twins: { i: number; of: number; row: number }[] = [];
  for (const v of valid) {
    const seen = earlier.get(v.digest);
    const first = firstInChunk.get(v.digest);
    if (seen) {
      const reason = seen.row
        ? `the same notice as row ${seen.row}`
        : `the same notice as ${seen.id}, received ${seen.received_at.toISOString()}`;
      results[v.i] = { outcome: 'duplicate', notice_id: seen.id, reason, errors: null };
    } else if (first) {
      twins.push({ i: v.i, of: first.i, row: first.row });
    } else {
      firstInChunk.set(v.digest, v);
      fresh.push(v);
    }
  }
  const settled = await Promise.allSettled(fresh.map((v) => createNotice(ctx, job, actor, v.row, v.notice)));
  // Every submission settles before a failure is thrown, so none is left running unseen.
  for (const [n, s] of settled.entries()) {
    if (s.status === 'rejected') throw s.reason;
    results[fresh[n]!.i] = s.value;
  }
  // A repeat of a row of this chunk shares that row's fate: a duplicate if it was created, invalid if not.
  for (const t of twins) {
    const of = results[t.of]!;
    results[t.i] =
      of.outcome === 'created'
        ? {
            outcome: 'duplicate',
            notice_id: of.notice_id,
            reason: `the same notice as row ${t.row}`,
            errors: null,
          }
        : of;
  }
  return results as RowResult[];
}

/**
 * Submits one row through the ordinary intake. The key cannot be sent over HTTP (it holds
 * spaces, which the Idempotency-Key header refuses), so no client can collide with it.
 * Received at the job's acceptance: the deadline runs from when tapis had the notice.
 */
async function createNotice(
  ctx: AppContext,
  job: Job,
  actor: Actor,
  row: number,
  notice: NoticeInput,
): Promise<RowResult> {
  try {
    const prepared = await prepareNotice(ctx.db, actor, notice, job.created_at, {
      idempotencyKey: `bulk ${job.id} ${row}`,
      bulkJobId: job.id,
      publicUrl: ctx.config.publicUrl,
    });
    const result = await ctx.intake.submit(prepared);
    return { outcome: 'created', notice_id: result.notice_id, reason: null, errors: null };
  } catch (error) {
    // Refusals of the notice itself (taxonomy, targets, orders; or the organisation
    // suspended since the upload) belong to the row. A conflict on the row's key means
    // another delivery is creating it right now: retry the chunk later.
    if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'forbidden')) {
      return { outcome: 'invalid', notice_id: null, reason: error.message, errors: error.issues };
    }
    throw error;
  }
}

/**
 * Notices the organisation already has with these digests, earliest first: from single
 * intake, other jobs, and rows of this job already committed. Notices this job created for
 * rows without a committed result (a chunk cut short by a crash) are left out: those rows
 * replay them through their Idempotency-Key instead of calling them duplicates of themselves.
 */
async function earlierNotices(db: Db, job: Job, digests: string[]) {
  const found = new Map<string, { id: string; received_at: Date; row: number | null }>();
  if (digests.length === 0) return found;
  const rows = await db
    .selectFrom('notices as n')
    .leftJoin('bulk_job_rows as r', (join) =>
      join.on('r.job_id', '=', job.id).onRef('r.notice_id', '=', 'n.id').on('r.outcome', '=', 'created'),
    )
    .select(['n.id', 'n.digest', 'n.received_at', 'r.row_number'])
    .where('n.org_id', '=', job.org_id)
    .where('n.digest', 'in', digests)
    .where((eb) =>
      eb.or([
        eb('n.bulk_job_id', 'is', null),
        eb('n.bulk_job_id', '!=', job.id),
        eb('r.row_number', 'is not', null),
      ]),
    )
    .orderBy('n.received_at')
    .orderBy('n.id')
    .execute();
  for (const r of rows)
    if (!found.has(r.digest))
      found.set(r.digest, { id: r.id, received_at: r.received_at, row: r.row_number });
  return found;
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
  return ctx.db.transaction().execute(async (trx) => {
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
