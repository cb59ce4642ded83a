import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_TOPIC } from '../../src/notices/bulk.ts';
import { bulkJobHandler, processBulkJob } from '../../src/notices/bulk-processing.ts';
import type { PreparedNotice } from '../../src/notices/intake.ts';
import { IntakeQueue } from '../../src/notices/intake-queue.ts';
import { OutboxWorker, PermanentFailure } from '../../src/outbox/worker.ts';
import type { AppContext } from '../../src/runtime/context.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { bulkJob, bulkWorker, drainBulk, type JobView, upload } from '../support/bulk.ts';
import { createPrincipals } from '../support/principals.ts';

/**
 * A bulk job survives the worker that runs it: killed in the middle of a chunk, after some
 * of the chunk's notices were committed but before the chunk's results were, it resumes
 * where the results stop, and no notice is created twice.
 */
let app: TestApp;
let komdigi: Caller;

const explanation = 'Synthetic test notice: the post recruits for a designated group.';
const csvOf = (targets: string[]) =>
  [
    'targets,category,explanation,good_faith',
    ...targets.map((t) => `${t},${t.includes('bad') ? 'piracy' : 'terrorism'},${explanation},1`),
  ].join('\n');

beforeAll(async () => {
  app = await createTestApp();
  komdigi = (await createPrincipals(app)).flagger_key;
});
afterAll(() => app.close());

/** Intake that commits a notice and then dies, as a process killed right after the commit would. */
class DyingIntake extends IntakeQueue {
  constructor(
    ctx: AppContext,
    private readonly diesAfter: (prepared: PreparedNotice) => boolean,
  ) {
    super({ store: ctx.store, clock: ctx.clock, log: ctx.log });
  }

  override async submit(prepared: PreparedNotice) {
    const result = await super.submit(prepared);
    if (this.diesAfter(prepared)) throw new Error('worker killed');
    return result;
  }
}

const jobNotices = (jobId: string) =>
  app.ctx.db.selectFrom('notices').select('id').where('bulk_job_id', '=', jobId).orderBy('id').execute();

describe('bulk jobs and crashes', () => {
  it('a worker killed in the middle of a chunk resumes without creating any notice twice', async () => {
    // Chunks of three: [1 2 3] [4 5 6] [7 8]. Row 6 repeats row 4, row 8 repeats row 5.
    const targets = [
      '@crash_one',
      '@crash_two',
      '@crash_three',
      '@crash_four',
      '@crash_five',
      '@crash_four',
      '@crash_bad',
      '@crash_five',
    ];
    const id = (await upload(app, csvOf(targets), 'text/csv', komdigi)).json().job_id;

    const dying: AppContext = {
      ...app.ctx,
      intake: new DyingIntake(app.ctx, (p) => p.idempotencyKey === `bulk ${id} 5`),
    };
    expect(await bulkWorker(dying, { chunkSize: 3 }).runOnce()).toBe(1);
    const halfway: JobView = (await bulkJob(app, id, komdigi)).json();
    expect(halfway).toMatchObject({ status: 'running', processed: 3, created: 3 });
    // Rows 4 and 5 were committed as notices; their results were not.
    const orphans = await jobNotices(id);
    expect(orphans).toHaveLength(5);
    const message = await app.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', BULK_TOPIC)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({ last_error: 'worker killed', attempts: 1 });

    // The retry's backoff is skipped, as a new worker finding an expired lease would.
    await app.ctx.db
      .updateTable('outbox')
      .set({ next_attempt_at: app.clock(), locked_until: null })
      .where('id', '=', message.id)
      .execute();
    await drainBulk(app, { chunkSize: 3 });

    const job: JobView = (await bulkJob(app, id, komdigi)).json();
    expect(job).toMatchObject({ status: 'done', processed: 8, created: 5, duplicate: 2, invalid: 1 });
    expect(job.rows.map((r) => r.outcome)).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
      'duplicate',
      'invalid',
      'duplicate',
    ]);
    expect(job.rows[5]).toMatchObject({
      reason: 'the same notice as row 4',
      notice_id: job.rows[3]!.notice_id,
    });
    expect(job.rows[7]).toMatchObject({
      reason: 'the same notice as row 5',
      notice_id: job.rows[4]!.notice_id,
    });
    // The notices the dead worker committed are the ones the rows now name: nothing new.
    const created = job.rows.filter((r) => r.outcome === 'created').map((r) => r.notice_id!);
    expect((await jobNotices(id)).map((n) => n.id)).toEqual(orphans.map((n) => n.id));
    expect([...created].sort()).toEqual(orphans.map((n) => n.id).sort());
    const perSubject = await app.ctx.db
      .selectFrom('notice_targets')
      .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
      .select(['subject_key', app.ctx.db.fn.countAll<number>().as('n')])
      .where('notices.bulk_job_id', '=', id)
      .groupBy('subject_key')
      .execute();
    expect(perSubject.map((s) => Number(s.n))).toEqual([1, 1, 1, 1, 1]);
  });

  it('fails a job whose delivery gave up, with the reason, and resumes it when the same file comes again', async () => {
    const csv = csvOf(['@gaveup_one', '@gaveup_two', '@gaveup_three', '@gaveup_four']);
    const key = { 'idempotency-key': 'gave-up-once' };
    const id = (await upload(app, csv, 'text/csv', komdigi, key)).json().job_id;
    // The first delivery does one chunk and hands over; the second gives up for good.
    const base = bulkJobHandler(app.ctx, { chunkSize: 2, sliceMs: 0 });
    let deliveries = 0;
    const giving = new OutboxWorker({
      db: app.ctx.db,
      clock: app.ctx.clock,
      log: app.ctx.log,
      handlers: {
        [BULK_TOPIC]: {
          ...base,
          handle: async (message) => {
            deliveries += 1;
            if (deliveries === 2) throw new PermanentFailure('the intake is down');
            await base.handle(message);
          },
        },
      },
    });
    expect(await giving.runOnce()).toBe(1);
    expect(await giving.runOnce()).toBe(1);
    expect((await bulkJob(app, id, komdigi)).json()).toMatchObject({
      status: 'failed',
      error: 'the intake is down',
      processed: 2,
      created: 2,
    });
    const audited = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['bulk_job.received', 'bulk_job.failed']);

    const again = await upload(app, csv, 'text/csv', komdigi, key);
    expect(again.json()).toMatchObject({ job_id: id, status: 'queued' });
    await drainBulk(app, { chunkSize: 2 });
    expect((await bulkJob(app, id, komdigi)).json()).toMatchObject({
      status: 'done',
      error: null,
      processed: 4,
      created: 4,
    });
    expect(await jobNotices(id)).toHaveLength(4);
    // A finished job is not resumed: the same file answers with it as it is.
    expect((await upload(app, csv, 'text/csv', komdigi, key)).json()).toMatchObject({
      job_id: id,
      status: 'done',
    });
  });

  it('shows progress as it goes, one slice of the job per delivery', async () => {
    const id = (
      await upload(
        app,
        csvOf(['@slice_one', '@slice_two', '@slice_three', '@slice_four', '@slice_five']),
        'text/csv',
        komdigi,
      )
    ).json().job_id;
    const worker = bulkWorker(app.ctx, { chunkSize: 2, sliceMs: 0 });
    const seen: number[] = [];
    while ((await worker.runOnce()) > 0) seen.push((await bulkJob(app, id, komdigi)).json().processed);
    expect(seen).toEqual([2, 4, 5]);
    expect((await bulkJob(app, id, komdigi)).json()).toMatchObject({ status: 'done', created: 5 });
  });

  it('two deliveries of one job at once create each notice once', async () => {
    const targets = Array.from({ length: 12 }, (_, i) => `@twice_channel_${i}`);
    const id = (await upload(app, csvOf(targets), 'text/csv', komdigi)).json().job_id;
    // As when a lease expires while its worker is still alive: both work the same job.
    await Promise.allSettled([
      processBulkJob(app.ctx, id, { chunkSize: 4 }),
      processBulkJob(app.ctx, id, { chunkSize: 4 }),
    ]);
    await drainBulk(app, { chunkSize: 4 });
    const job: JobView = (await bulkJob(app, id, komdigi)).json();
    expect(job).toMatchObject({ status: 'done', processed: 12, created: 12 });
    expect(await jobNotices(id)).toHaveLength(12);
    expect(new Set(job.rows.map((r) => r.notice_id)).size).toBe(12);
  });
});
