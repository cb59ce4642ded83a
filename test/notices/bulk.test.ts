import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../src/notices/receipts.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { bulkJob, drainBulk, type JobView, upload } from '../support/bulk.ts';
import { createPrincipals } from '../support/principals.ts';

/**
 * Bulk intake through the API: a file becomes a job, the outbox worker works it off, and
 * each row ends created, duplicate or invalid with the reason. Synthetic data only.
 */
let app: TestApp;
let komdigi: Caller;
let ngo: Caller;
let admin: Caller;

const explanation = 'Synthetic test notice: the post recruits for a designated group.';
const header = 'targets,category,explanation,good_faith,reference';

beforeAll(async () => {
  app = await createTestApp();
  const principals = await createPrincipals(app);
  komdigi = principals.flagger_key;
  admin = principals.admin;
  ngo = await app.loginAs('analyst@ngo.example');
});
afterAll(() => app.close());

const outcomes = (job: JobView) => job.rows.map((r) => [r.row, r.outcome]);

describe('a CSV bulk file', () => {
  let job: JobView;
  let single: { notice_id: string };

  beforeAll(async () => {
    // A notice sent earlier on its own; row 5 repeats it.
    single = (
      await app.request({
        method: 'POST',
        url: '/v1/notices',
        as: komdigi,
        payload: { targets: ['@bulk_single_channel'], category: 'terrorism', explanation, good_faith: true },
      })
    ).json();
    const csv = [
      'targets,category,explanation,good_faith',
      `https://t.me/bulk_one_channel/1 | @bulk_also_channel,terrorism,${explanation},true`,
      `t.me/ab,terrorism,${explanation},yes`,
      `https://t.me/bulk_one_channel/1 | @bulk_also_channel,terrorism,${explanation},true`,
      `@bulk_piracy_channel,piracy,${explanation},1`,
      `@bulk_single_channel,terrorism,${explanation},ya`,
      `@bulk_no_faith_channel,terrorism,${explanation},`,
      `@bulk_two_channel,hoax,${explanation},true`,
      `https://t.me/bulk_one_channel/1 | @bulk_also_channel,terrorism,${explanation},1`,
    ].join('\n');
    const accepted = await upload(app, csv, 'text/csv', komdigi);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({
      status: 'queued',
      total: 8,
      status_url: expect.stringMatching(/\/v1\/notices\/bulk\/[0-9a-f-]{36}$/),
    });
    const id = accepted.json().job_id;
    expect((await bulkJob(app, id, komdigi)).json()).toMatchObject({
      status: 'queued',
      processed: 0,
      rows: [],
    });
    // Chunks of three: duplicates within a chunk and across chunks.
    await drainBulk(app, { chunkSize: 3, sliceMs: 0 });
    job = (await bulkJob(app, id, komdigi)).json();
  });

  it('ends with one outcome per row and the counters to match', () => {
    expect(job).toMatchObject({
      status: 'done',
      total: 8,
      processed: 8,
      created: 2,
      duplicate: 3,
      invalid: 3,
      finished_at: expect.any(String),
    });
    expect(outcomes(job)).toEqual([
      [1, 'created'],
      [2, 'invalid'],
      [3, 'duplicate'],
      [4, 'invalid'],
      [5, 'duplicate'],
      [6, 'invalid'],
      [7, 'created'],
      [8, 'duplicate'],
    ]);
  });

  it('says why a row is invalid, with JSON pointers into the notice', () => {
    const [bad, piracy, noFaith] = job.rows.filter((r) => r.outcome === 'invalid');
    expect(bad).toMatchObject({
      reason: expect.stringMatching(/^targets\[0\]: /),
      errors: [{ pointer: '/targets/0' }],
    });
    expect(piracy).toMatchObject({
      reason: expect.stringMatching(/^category: 'piracy' is not in the taxonomy/),
      errors: [{ pointer: '/category' }],
    });
    expect(noFaith).toMatchObject({
      reason: expect.stringMatching(/^good_faith: confirm the notice is made in good faith/),
      errors: [{ pointer: '/good_faith' }],
    });
  });

  it('names what a duplicate repeats: an earlier row of the file, or a notice sent before', () => {
    const first = job.rows[0]!;
    expect(job.rows[2]).toMatchObject({ notice_id: first.notice_id, reason: 'the same notice as row 1' });
    expect(job.rows[7]).toMatchObject({ notice_id: first.notice_id, reason: 'the same notice as row 1' });
    expect(job.rows[4]).toMatchObject({
      notice_id: single.notice_id,
      reason: expect.stringContaining(single.notice_id),
    });
  });

  it('creates real notices, with verifiable receipts, tied to the job', async () => {
    const jwks = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    for (const row of job.rows.filter((r) => r.outcome === 'created')) {
      const notice = (
        await app.request({ method: 'GET', url: `/v1/notices/${row.notice_id}`, as: komdigi })
      ).json();
      expect(notice.received_at).toBe(job.created_at);
      expect(await verifyReceipt(notice.receipt, jwks)).toMatchObject({
        valid: true,
        claims: { notice_id: row.notice_id },
      });
    }
    const stored = await app.ctx.db
      .selectFrom('notices')
      .select('id')
      .where('bulk_job_id', '=', job.job_id)
      .execute();
    expect(stored.map((n) => n.id).sort()).toEqual(
      job.rows
        .filter((r) => r.outcome === 'created')
        .map((r) => r.notice_id)
        .sort(),
    );
  });

  it('pages through rows and filters them by outcome', async () => {
    const page = (await bulkJob(app, job.job_id, komdigi, '?limit=3&after_row=2')).json();
    expect(outcomes(page)).toEqual([
      [3, 'duplicate'],
      [4, 'invalid'],
      [5, 'duplicate'],
    ]);
    expect(page.next_after_row).toBe(5);
    const invalid = (await bulkJob(app, job.job_id, komdigi, '?outcome=invalid')).json();
    expect(invalid.rows.map((r: { row: number }) => r.row)).toEqual([2, 4, 6]);
    expect(invalid.next_after_row).toBeNull();
  });

  it('is visible to its own organisation and the platform, and to no other flagger', async () => {
    expect((await bulkJob(app, job.job_id, ngo)).statusCode).toBe(404);
    expect((await bulkJob(app, job.job_id, admin)).statusCode).toBe(200);
  });
});

describe('a JSONL bulk file', () => {
  it('takes one notice per line and faults bad lines alone', async () => {
    const notice = { targets: ['@jsonl_bulk_channel'], category: 'gambling', explanation, good_faith: true };
    const jsonl = [
      JSON.stringify(notice),
      JSON.stringify({ ...notice, colour: 'red' }),
      '{"targets": [',
      JSON.stringify(notice),
      JSON.stringify({ ...notice, targets: ['javascript:alert(1)'] }),
    ].join('\n');
    const accepted = await upload(app, `${jsonl}\n`, 'application/x-ndjson', ngo);
    expect(accepted.statusCode).toBe(202);
    await drainBulk(app);
    const job: JobView = (await bulkJob(app, accepted.json().job_id, ngo)).json();
    expect(job).toMatchObject({ status: 'done', created: 1, duplicate: 1, invalid: 3 });
    expect(outcomes(job)).toEqual([
      [1, 'created'],
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'duplicate'],
      [5, 'invalid'],
    ]);
    expect(job.rows[1]).toMatchObject({
      reason: "colour: unknown field 'colour'",
      errors: [{ pointer: '/colour' }],
    });
    expect(job.rows[2]!.reason).toMatch(/^the line is not valid JSON/);
    expect(job.rows[4]).toMatchObject({ errors: [{ pointer: '/targets/0' }] });
  });
});

describe('a bulk file tapis cannot take', () => {
  const refusal = async (body: string | Buffer, type: string) => {
    const response = await upload(app, body, type, komdigi);
    return { status: response.statusCode, detail: response.json().detail as string };
  };

  it('is refused whole, with a 400 that says why, and leaves no job', async () => {
    const before = await app.ctx.db
      .selectFrom('bulk_jobs')
      .select(app.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(
      await refusal(`${header},colour,explanaton\n@x_channel,hoax,${explanation},1,B-1,red,x\n`, 'text/csv'),
    ).toEqual({
      status: 400,
      detail: expect.stringMatching(/unknown CSV columns 'colour', 'explanaton'/),
    });
    // Over the 1 MiB of other routes, so the count is what refuses it, not the size.
    const tooMany = `${header}\n${`@many_channel,hoax,${explanation} ${explanation},1,B\n`.repeat(10_001)}`;
    expect(tooMany.length).toBeGreaterThan(1024 * 1024);
    expect(await refusal(tooMany, 'text/csv')).toEqual({
      status: 400,
      detail: expect.stringMatching(/more than 10,000 notices/),
    });
    expect((await refusal('x'.repeat(25 * 1024 * 1024 + 1), 'text/csv')).status).toBe(413);
    expect(
      await refusal(
        Buffer.concat([
          Buffer.from(`${header}\n@bad_bytes,hoax,`),
          Buffer.from([0xc3, 0x28]),
          Buffer.from(',1,B\n'),
        ]),
        'text/csv',
      ),
    ).toEqual({
      status: 400,
      detail: expect.stringMatching(/not valid UTF-8/),
    });
    expect(await refusal('', 'application/x-ndjson')).toEqual({
      status: 400,
      detail: expect.stringMatching(/empty/),
    });
    expect(await refusal(`${header}\n`, 'text/csv')).toEqual({
      status: 400,
      detail: 'the file holds no notices',
    });
    const after = await app.ctx.db
      .selectFrom('bulk_jobs')
      .select(app.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('is a 403 from an organisation whose notices are suspended', async () => {
    const suspend = (status: 'suspended' | 'regular') =>
      app.ctx.db
        .updateTable('organisations')
        .set({ flagger_status: status })
        .where('slug', '=', 'ngo')
        .execute();
    await suspend('suspended');
    try {
      const response = await upload(
        app,
        `${header}\n@suspended_channel,hoax,${explanation},1,B\n`,
        'text/csv',
        ngo,
      );
      expect(response.statusCode).toBe(403);
      expect(response.json().detail).toMatch(/suspended/);
    } finally {
      await suspend('regular');
    }
  });

  it('is a 415 in another media type or character set', async () => {
    expect((await refusal('{"targets": []}', 'application/json')).status).toBe(415);
    expect((await refusal(`${header}\n`, 'text/csv; charset=iso-8859-1')).status).toBe(415);
    expect((await refusal(`${header}\n`, 'application/xml')).status).toBe(415);
  });
});

describe('Idempotency-Key on bulk files', () => {
  it('returns the same job for the same file, and 409 for another', async () => {
    const csv = `${header}\n@idem_bulk_channel,hoax,${explanation},1,B-9\n`;
    const first = await upload(app, csv, 'text/csv', komdigi, { 'idempotency-key': 'batch-7' });
    const again = await upload(app, csv, 'text/csv', komdigi, { 'idempotency-key': 'batch-7' });
    expect(again.statusCode).toBe(202);
    expect(again.json().job_id).toBe(first.json().job_id);
    const other = await upload(
      app,
      `${csv}@idem_other_channel,hoax,${explanation},1,B-9\n`,
      'text/csv',
      komdigi,
      { 'idempotency-key': 'batch-7' },
    );
    expect(other.statusCode).toBe(409);
    // Another organisation's keys are its own.
    expect(
      (await upload(app, csv, 'text/csv', ngo, { 'idempotency-key': 'batch-7' })).json().job_id,
    ).not.toBe(first.json().job_id);
    await drainBulk(app);
  });
});

describe('the list of bulk jobs', () => {
  const list = (as: Caller, query = '') =>
    app.request({ method: 'GET', url: `/v1/notices/bulk${query}`, as });
  type Listed = { job_id: string; org: string; status: string; created_at: string };

  it('shows each organisation its own jobs, newest first, a page at a time; the platform sees all', async () => {
    const everything = (await list(admin, '?limit=100')).json().items as Listed[];
    expect(new Set(everything.map((j) => j.org))).toEqual(new Set(['komdigi', 'ngo']));
    const times = everything.map((j) => j.created_at);
    expect(times).toEqual([...times].sort().reverse());

    const ngoJobs = (await list(ngo)).json().items as Listed[];
    expect(ngoJobs.length).toBeGreaterThan(0);
    expect(ngoJobs.every((j) => j.org === 'ngo')).toBe(true);

    const seen: string[] = [];
    let before = '';
    for (let page = 0; page < 20; page++) {
      const body = (await list(komdigi, `?limit=1${before}`)).json();
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((j: Listed) => j.job_id));
      if (body.next_before === null) break;
      before = `&before=${body.next_before}`;
    }
    expect(seen).toEqual(everything.filter((j) => j.org === 'komdigi').map((j) => j.job_id));
    expect(seen.length).toBeGreaterThan(1);
    // Another organisation's job is no cursor: as if it did not exist.
    expect((await list(ngo, `?before=${seen[0]}`)).statusCode).toBe(404);
  });
});
