import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/** Issue 16, the smaller frictions a new user met in the first ten minutes. */
let app: TestApp;
let analyst: Caller;
let lead: Caller;

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  lead = await app.loginAs('lead@platform.example');
});
afterAll(async () => {
  await app.close();
});

describe('the first ten minutes', () => {
  it('every item of a problem’s errors says where its field is, use-case errors included', async () => {
    const notice = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      payload: {
        targets: ['https://t.me/some_channel_x/1'],
        category: 'no_such_category',
        explanation: 'A synthetic notice with an unknown category.',
        good_faith: true,
      },
    });
    expect(notice.statusCode).toBe(400);
    expect(notice.json().errors[0]).toEqual({
      in: 'body',
      pointer: '/category',
      detail: expect.stringMatching(/not in the taxonomy/),
    });
    const period = await app.request({
      method: 'GET',
      url: '/v1/flaggers/komdigi/evidence-pack?from=2026-11-30&to=2026-11-01',
      as: lead,
    });
    expect(period.statusCode).toBe(400);
    expect(period.json().errors).toEqual([
      { in: 'querystring', pointer: '/from', detail: 'must not be after to' },
    ]);
  });

  it('the evidence pack takes plain dates, from the start of `from` to the end of `to`', async () => {
    const response = await app.request({
      method: 'GET',
      url: '/v1/flaggers/komdigi/evidence-pack?from=2026-11-01&to=2026-11-30',
      as: lead,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().period).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-30T23:59:59.999Z',
    });
    const stamped = await app.request({
      method: 'GET',
      url: '/v1/flaggers/komdigi/evidence-pack?from=2026-11-01T08:00:00Z',
      as: lead,
    });
    expect(stamped.statusCode).toBe(200);
    const bad = await app.request({
      method: 'GET',
      url: '/v1/flaggers/komdigi/evidence-pack?from=1%20Nov',
      as: lead,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ in: 'querystring', pointer: '/from' });
  });

  it('an unknown status filter is a 400 naming the field, not an empty list', async () => {
    const unknown = await app.request({ method: 'GET', url: '/v1/notices?status=x', as: analyst });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({
      in: 'querystring',
      pointer: '/status',
      detail: expect.stringMatching(/received/),
    });
    const known = await app.request({ method: 'GET', url: '/v1/notices?status=received', as: analyst });
    expect(known.statusCode).toBe(200);
  });

  it('a multipart upload to the bulk route gets a 415 that lists the accepted types', async () => {
    const boundary = 'tapisboundary';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="notices.csv"',
      'Content-Type: text/csv',
      '',
      'targets,category,explanation,good_faith',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const response = await app.request({
      method: 'POST',
      url: '/v1/notices/bulk',
      as: analyst,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json().detail).toMatch(/text\/csv/);
    expect(response.json().detail).toMatch(/application\/x-ndjson/);
    expect(response.json().detail).toMatch(/not as multipart/);
  });
});

describe('a large upload of the wrong type', () => {
  it('is answered 415 whatever its size', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/notices/bulk',
      as: analyst,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(3 * 1024 * 1024, 1),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().detail).toMatch(/text\/csv .*not as application\/octet-stream/);
  });
});
