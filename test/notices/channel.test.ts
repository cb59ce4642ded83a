import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceClockMarks } from '../../src/notices/clock-job.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let analyst: Caller;
let reviewer: Caller;
let ngo: Caller;

const HOUR = 3_600_000;
const notice = (target: string, overrides: Record<string, unknown> = {}) => ({
  targets: [target],
  category: 'terrorism',
  explanation: 'Synthetic test notice: the post recruits for a designated group.',
  reference: 'B-200/KOMDIGI/2026',
  good_faith: true,
  ...overrides,
});

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
  ngo = await app.loginAs('analyst@ngo.example');
});
afterAll(() => app.close());

async function submit(target: string, as: Caller = analyst, overrides: Record<string, unknown> = {}) {
  const response = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as,
    payload: notice(target, overrides),
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { notice_id: string; deadline: string; target_deadline: string };
}
const view = async (id: string, as: Caller = analyst) =>
  (await app.request({ method: 'GET', url: `/v1/notices/${id}`, as })).json();
const events = async (as: Caller, query = '') =>
  (await app.request({ method: 'GET', url: `/v1/events?limit=1000${query}`, as })).json().items as {
    type: string;
    notice_id: string;
    data: Record<string, unknown>;
    cursor: number;
  }[];

describe('the thread of a notice', () => {
  it('carries messages both ways, with read receipts', async () => {
    const { notice_id } = await submit('@thread_channel');
    const sent = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/messages`,
      as: analyst,
      payload: { body: 'Mohon segera ditindaklanjuti.' },
    });
    expect(sent.statusCode).toBe(201);
    const reply = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/messages`,
      as: reviewer,
      payload: { body: 'Diterima, sedang ditinjau.' },
    });
    expect(reply.json()).toMatchObject({ side: 'platform', kind: 'message' });

    const read = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/thread/read`,
      as: reviewer,
      payload: { up_to: sent.json().id },
    });
    expect(read.json()).toEqual({ marked: 1 });
    const thread = (
      await app.request({ method: 'GET', url: `/v1/notices/${notice_id}/thread`, as: analyst })
    ).json().items;
    expect(thread.map((m: { side: string; read_at: string | null }) => [m.side, m.read_at !== null])).toEqual(
      [
        ['notifier', true],
        ['platform', false],
      ],
    );
    expect((await events(analyst, `&notice_id=${notice_id}`)).map((e) => e.type)).toEqual([
      'notice.received',
      'notice.message',
      'notice.message',
      'notice.message_read',
    ]);
  });

  it('a clarification request pauses the clock, and the answer resumes it with the deadline moved', async () => {
    const { notice_id, deadline } = await submit('@clarify_channel');
    app.clock.advance(HOUR);
    const asked = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/clarification-requests`,
      as: reviewer,
      payload: { question: 'Which message exactly?' },
    });
    expect(asked.statusCode).toBe(201);
    expect((await view(notice_id)).clock).toMatchObject({ state: 'paused', paused: true });
    expect((await view(notice_id)).status).toBe('clarification_requested');
    // A second request while one is open is refused.
    expect(
      (
        await app.request({
          method: 'POST',
          url: `/v1/notices/${notice_id}/clarification-requests`,
          as: reviewer,
          payload: { question: 'Again?' },
        })
      ).statusCode,
    ).toBe(409);

    app.clock.advance(2 * HOUR);
    const answered = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/clarification`,
      as: analyst,
      payload: { answer: 'Message 55, see the screenshot.' },
    });
    expect(answered.statusCode).toBe(201);
    const after = await view(notice_id);
    expect(after.clock.paused).toBe(false);
    expect(new Date(after.deadline).getTime() - new Date(deadline).getTime()).toBe(2 * HOUR);
    expect(after.clock.pauses).toHaveLength(1);
    expect((await events(analyst, `&notice_id=${notice_id}`)).map((e) => e.type)).toContain(
      'notice.clarification_answered',
    );
  });

  it('only the platform asks for clarification, and only the notifier answers', async () => {
    const { notice_id } = await submit('@roles_channel');
    expect(
      (
        await app.request({
          method: 'POST',
          url: `/v1/notices/${notice_id}/clarification-requests`,
          as: analyst,
          payload: { question: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.request({
          method: 'POST',
          url: `/v1/notices/${notice_id}/clarification`,
          as: analyst,
          payload: { answer: 'x' },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('the platform can settle a notice as impossible for good, with the reason', async () => {
    const { notice_id } = await submit('@impossible_channel');
    const declared = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/impossible-for-good`,
      as: reviewer,
      payload: { reason: 'not_our_service', explanation: 'The link points to another service.' },
    });
    expect(declared.statusCode).toBe(201);
    const after = await view(notice_id);
    expect(after).toMatchObject({ status: 'impossible', clock: { state: 'stopped' } });
    expect(after.targets[0].outcome).toBe('impossible');
    // An objection answers a decision: now there is one.
    const objection = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/objections`,
      as: analyst,
      payload: { grounds: 'The link is on your service.' },
    });
    expect(objection.statusCode).toBe(201);
    expect((await view(notice_id)).status).toBe('objected');
  });

  it('refuses an objection before any decision', async () => {
    const { notice_id } = await submit('@early_objection');
    const response = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/objections`,
      as: analyst,
      payload: { grounds: 'Too early.' },
    });
    expect(response.statusCode).toBe(409);
  });

  it('is closed to other flaggers', async () => {
    const { notice_id } = await submit('@private_thread');
    expect(
      (await app.request({ method: 'GET', url: `/v1/notices/${notice_id}/thread`, as: ngo })).statusCode,
    ).toBe(404);
    expect(
      (
        await app.request({
          method: 'POST',
          url: `/v1/notices/${notice_id}/messages`,
          as: ngo,
          payload: { body: 'hi' },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('evidence', () => {
  async function upload(
    noticeId: string,
    files: { name: string; data: Buffer; type?: string }[],
    as: Caller = analyst,
  ) {
    const boundary = '----tapis-test-boundary';
    const parts = files.map((f) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        f.data,
        Buffer.from('\r\n'),
      ]),
    );
    return app.request({
      method: 'POST',
      url: `/v1/notices/${noticeId}/evidence`,
      as,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    });
  }

  it('is stored with its SHA-256 and its sniffed type, and attached to a message', async () => {
    const { notice_id } = await submit('@evidence_channel');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const uploaded = await upload(notice_id, [{ name: 'screenshot.jpg', data: png, type: 'image/jpeg' }]);
    expect(uploaded.statusCode).toBe(201);
    const [item] = uploaded.json().items;
    expect(item.content_type).toBe('image/png');
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);

    const message = await app.request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/messages`,
      as: analyst,
      payload: { body: 'Bukti terlampir.', attachments: [item.id] },
    });
    expect(message.statusCode).toBe(201);
    const thread = (
      await app.request({ method: 'GET', url: `/v1/notices/${notice_id}/thread`, as: reviewer })
    ).json().items;
    expect(thread[0].attachments[0].sha256).toBe(item.sha256);

    const download = await app.request({
      method: 'GET',
      url: `/v1/notices/${notice_id}/evidence/${item.id}`,
      as: reviewer,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(png)).toBe(true);
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', notice_id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['evidence.uploaded', 'evidence.revealed']),
    );
  });

  it('refuses HTML and scripts whatever their name, and empty or oversized files', async () => {
    const { notice_id } = await submit('@bad_evidence');
    const html = await upload(notice_id, [
      {
        name: 'letter.pdf',
        data: Buffer.from('<html><script>alert(1)</script></html>'),
        type: 'application/pdf',
      },
    ]);
    expect(html.statusCode).toBe(415);
    const empty = await upload(notice_id, [{ name: 'empty.png', data: Buffer.alloc(0) }]);
    expect(empty.statusCode).toBe(400);
    const big = await upload(notice_id, [
      { name: 'big.pdf', data: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]) },
    ]);
    expect(big.statusCode).toBe(413);
    const count = await app.ctx.db
      .selectFrom('evidence')
      .select(app.ctx.db.fn.countAll<number>().as('n'))
      .where('notice_id', '=', notice_id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('accepts a PDF letter and plain text', async () => {
    const { notice_id } = await submit('@letter_channel');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const response = await upload(notice_id, [
      { name: 'surat.pdf', data: pdf },
      { name: 'catatan.txt', data: Buffer.from('Catatan analis: pesan 55.') },
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.json().items.map((i: { content_type: string }) => i.content_type)).toEqual([
      'application/pdf',
      'text/plain; charset=utf-8',
    ]);
  });
});

describe('the clock', () => {
  it('announces at-risk marks, the missed internal target and the breach, once each', async () => {
    const { notice_id } = await submit('@clock_channel');
    // Trusted government terrorism notice: 4 h legal, 1 h internal target.
    app.clock.advance(HOUR + 1000);
    await announceClockMarks(app.ctx.db, app.clock());
    app.clock.advance(HOUR);
    await announceClockMarks(app.ctx.db, app.clock());
    await announceClockMarks(app.ctx.db, app.clock());
    let types = (await events(analyst, `&notice_id=${notice_id}`)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('notice.clock'))).toEqual([
      'notice.clock.target_missed',
      'notice.clock.at_risk',
    ]);
    app.clock.advance(2 * HOUR);
    await announceClockMarks(app.ctx.db, app.clock());
    types = (await events(analyst, `&notice_id=${notice_id}`)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('notice.clock'))).toEqual([
      'notice.clock.target_missed',
      'notice.clock.at_risk',
      'notice.clock.at_risk',
      'notice.clock.breached',
    ]);
    expect((await view(notice_id)).clock.state).toBe('breached');
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', notice_id)
      .where('action', '=', 'notice.deadline_breached')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('the event feed', () => {
  it('shows a flagger its own organisation’s events only, after a cursor', async () => {
    await submit('@feed_a');
    const mine = await submit('@feed_b', ngo, { category: 'gambling' });
    const feed = await events(ngo);
    expect(feed.length).toBeGreaterThan(0);
    expect(feed.every((e) => e.notice_id === mine.notice_id || e.type)).toBe(true);
    const ids = new Set(feed.map((e) => e.notice_id));
    const ngoNotices = (await app.request({ method: 'GET', url: '/v1/notices?limit=500', as: ngo }))
      .json()
      .items.map((n: { id: string }) => n.id);
    for (const id of ids) expect(ngoNotices).toContain(id);
    const last = feed.at(-1)!.cursor;
    const after = (await app.request({ method: 'GET', url: `/v1/events?after=${last}`, as: ngo })).json();
    expect(after).toEqual({ items: [], next_after: last });
  });
});

describe('a notice with its evidence in one multipart request', () => {
  function form(fields: Record<string, string>, files: { name: string; data: Buffer }[]) {
    const boundary = '----tapis-notice-form';
    const parts = [
      ...Object.entries(fields).map(([name, value]) =>
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      ),
      ...files.map((f) =>
        Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          f.data,
          Buffer.from('\r\n'),
        ]),
      ),
    ];
    return {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    };
  }

  it('stores the notice and its files together, and a retry attaches nothing twice', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#aa3300' } })
      .png()
      .toBuffer();
    const body = form({ notice: JSON.stringify(notice('@multipart_channel')) }, [
      { name: 'screenshot.png', data: png },
    ]);
    const first = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      ...body,
      headers: { ...body.headers, 'idempotency-key': 'multipart-1' },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().evidence).toEqual([
      expect.objectContaining({ filename: 'screenshot.png', content_type: 'image/png' }),
    ]);
    const again = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      ...body,
      headers: { ...body.headers, 'idempotency-key': 'multipart-1' },
    });
    expect(again.json().notice_id).toBe(first.json().notice_id);
    expect((await view(first.json().notice_id)).evidence).toHaveLength(1);
  });

  it('refuses the whole notice when a file is refused, and checks the notice field like a JSON body', async () => {
    const html = form({ notice: JSON.stringify(notice('@multipart_bad')) }, [
      { name: 'x.png', data: Buffer.from('<html><script></script></html>') },
    ]);
    expect((await app.request({ method: 'POST', url: '/v1/notices', as: analyst, ...html })).statusCode).toBe(
      415,
    );
    const stored = await app.ctx.db
      .selectFrom('notice_targets')
      .select('notice_id')
      .where('subject_key', '=', 'telegram:username:multipart_bad')
      .execute();
    expect(stored).toHaveLength(0);
    const missing = form({}, []);
    expect(
      (await app.request({ method: 'POST', url: '/v1/notices', as: analyst, ...missing })).json().errors[0]
        .pointer,
    ).toBe('/notice');
    const unknown = form({ notice: JSON.stringify({ ...notice('@multipart_unknown'), extra: 1 }) }, []);
    expect(
      (await app.request({ method: 'POST', url: '/v1/notices', as: analyst, ...unknown })).json().errors[0]
        .pointer,
    ).toBe('/extra');
  });
});
