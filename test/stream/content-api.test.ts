import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { post, randomPdq, syntheticPng } from './support.ts';

/**
 * POST /v1/content: one event or a batch, each checked on its own; malformed events are
 * refused with their reason and the rest of the batch is queued and scanned all the same.
 */
let desk: Desk;
let platformKey: Caller;
let lead: Caller;

beforeAll(async () => {
  desk = await createDesk();
  lead = await desk.app.loginAs('lead@platform.example');
  const admin = await desk.app.loginAs('admin@platform.example');
  const created = await desk.app.request({
    method: 'POST',
    url: '/v1/orgs/platform/keys',
    as: admin,
    payload: { name: 'content-feed' },
  });
  platformKey = { key: created.json().key };
});
afterAll(() => desk.close());

const send = (payload: unknown, as: Caller = platformKey) =>
  desk.app.request({ method: 'POST', url: '/v1/content', as, payload: payload as never });

async function scanQueued(): Promise<void> {
  for (let i = 0; i < 20 && (await desk.worker.runOnce()) > 0; i++);
}

async function scannedRows(platform: string, postKey: string) {
  return desk.app.ctx.db
    .selectFrom('content_events')
    .selectAll()
    .where('platform', '=', platform)
    .where('post_id', '=', postKey)
    .execute();
}

describe('content events through the API', () => {
  it('queues a valid event and scans it through the in-database queue', async () => {
    const event = post({ id: '501', channel: 'queue_channel' });
    const response = await send(event);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      queued: 1,
      refused: 0,
      results: [{ index: 0, status: 'queued', id: '501' }],
    });
    expect(await scannedRows('telegram', 'queue_channel/501')).toHaveLength(0);
    await scanQueued();
    const rows = await scannedRows('telegram', 'queue_channel/501');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.matched).toBe(false);
    const view = await desk.app.request({
      method: 'GET',
      url: '/v1/content/telegram/501?channel=queue_channel',
      as: lead,
    });
    expect(view.json().items).toHaveLength(1);
  });

  it('keeps the hashes of a scanned post but not its text', async () => {
    const secret = 'A synthetic sentence that must not be stored verbatim 7781.';
    await send(post({ id: '502', channel: 'queue_channel', text: secret }));
    await scanQueued();
    const hashes = await desk.app.ctx.db
      .selectFrom('content_hashes')
      .selectAll()
      .where('post_id', '=', 'queue_channel/502')
      .execute();
    expect(hashes.map((h) => h.signal_type)).toEqual(['text_sha256']);
    const outbox = await desk.app.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'content.scan')
      .execute();
    expect(JSON.stringify(outbox)).not.toContain('must not be stored verbatim');
  });

  it('refuses malformed events in a batch with their reasons and queues the rest', async () => {
    const notAnImage = Buffer.from('this is plain text, not a picture').toString('base64');
    const tooBig = 'A'.repeat(12 * 1024 * 1024);
    const batch = [
      post({ id: '601', channel: 'batch_channel' }),
      post({ type: 'post_exploded', id: '602' }),
      post({ id: '603', media: [{ pdq: 'not-a-hash' }] }),
      { platform: 'telegram' },
      post({ id: '605', media: [{ base64: notAnImage, mime: 'image/png' }] }),
      post({ id: '606', media: [{ base64: tooBig, mime: 'image/png' }] }),
      'just a string',
      post({
        id: '608',
        channel: 'batch_channel',
        media: [{ base64: (await syntheticPng(3)).toString('base64'), mime: 'image/png' }],
      }),
    ];
    const response = await send(batch);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toMatchObject({ queued: 2, refused: 6 });
    const reasons = body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status);
    expect(reasons[0]).toBe('queued');
    expect(reasons[1]).toMatch(/^type: /);
    expect(reasons[2]).toMatch(/^media\.0/);
    expect(reasons[3]).toMatch(/^(type|id|channel|posted_at): /);
    expect(reasons[4]).toMatch(/^media\.0: not an image that can be decoded/);
    expect(reasons[5]).toMatch(/^media\.0/);
    expect(reasons[6]).toMatch(/^event: /);
    expect(reasons[7]).toBe('queued');
    await scanQueued();
    expect(await scannedRows('telegram', 'batch_channel/601')).toHaveLength(1);
    const withImage = await desk.app.ctx.db
      .selectFrom('content_hashes')
      .select('signal_type')
      .where('post_id', '=', 'batch_channel/608')
      .execute();
    expect(withImage.map((h) => h.signal_type).sort()).toEqual(['md5', 'pdq', 'sha256', 'text_sha256']);
  });

  it('answers one malformed event alone with a 400 problem that names the field', async () => {
    const response = await send(post({ posted_at: 'yesterday' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.json().detail).toMatch(/^posted_at: /);
  });

  it('refuses a body that is not JSON, or not UTF-8, with a 400', async () => {
    const broken = await desk.app.request({
      method: 'POST',
      url: '/v1/content',
      as: platformKey,
      headers: { 'content-type': 'application/json' },
      payload: '[{"type": "post_created",',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toMatch(/not valid JSON/);
    const latin1 = Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const notUtf8 = await desk.app.request({
      method: 'POST',
      url: '/v1/content',
      as: platformKey,
      headers: { 'content-type': 'application/json' },
      payload: latin1,
    });
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.json().detail).toMatch(/UTF-8/);
  });

  it('refuses 50 MB of base64 with a 413 problem', async () => {
    const huge = post({ media: [{ base64: 'A'.repeat(50 * 1024 * 1024), mime: 'image/jpeg' }] });
    const response = await send(huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toMatch(/larger than this endpoint accepts/);
  });

  it('refuses a batch of more than 1,000 events', async () => {
    const response = await send(Array.from({ length: 1001 }, (_, i) => post({ id: String(900000 + i) })));
    expect(response.statusCode).toBe(400);
  });

  it('scans the same event once, however often it is sent', async () => {
    const event = post({ id: '701', channel: 'twice_channel', media: [{ pdq: randomPdq(701) }] });
    expect((await send([event, event])).json().queued).toBe(2);
    expect((await send(event)).json().queued).toBe(1);
    await scanQueued();
    expect(await scannedRows('telegram', 'twice_channel/701')).toHaveLength(1);
    expect((await send(event)).json().results[0].status).toBe('duplicate');
    const edited = { ...event, type: 'post_edited', text: 'Synthetic edited text.' };
    expect((await send(edited)).json().results[0].status).toBe('queued');
    await scanQueued();
    expect(await scannedRows('telegram', 'twice_channel/701')).toHaveLength(2);
  });

  it('is refused to a flagger, who cannot feed the scanner', async () => {
    const analyst = await desk.app.loginAs('analis@komdigi.example');
    expect((await send(post(), analyst)).statusCode).toBe(403);
  });
});
