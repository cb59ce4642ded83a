import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Input a hostile or careless client sends, on routes whose handlers run past the lookup
 * (live records): a 4xx problem document every time, never a 500.
 */
let app: TestApp;
let admin: Caller;
let analyst: Caller;
let reviewer: Caller;
let noticeId: string;
let caseId: string;
let bankId: string;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
  const receipt = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets: ['https://t.me/hostile_input_channel/7'],
      category: 'terrorism',
      explanation: 'Synthetic notice for the hostile-input tests.',
      good_faith: true,
    },
  });
  expect(receipt.statusCode).toBe(201);
  noticeId = receipt.json().notice_id;
  caseId = receipt.json().targets[0].case_id;
  const bank = await app.request({
    method: 'POST',
    url: '/v1/banks',
    as: admin,
    payload: { name: 'hostile-input-bank', description: 'Synthetic bank for tests', policy: 'review' },
  });
  expect(bank.statusCode).toBe(201);
  bankId = bank.json().id;
});
afterAll(() => app.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.body).not.toMatch(/at .*\.ts:\d+/);
}

const multipartRoutes = () => [
  { url: '/v1/notices', as: analyst },
  { url: `/v1/notices/${noticeId}/evidence`, as: analyst },
  { url: `/v1/cases/${caseId}/preserved-content`, as: reviewer },
  { url: '/v1/hash', as: reviewer },
  { url: '/v1/match', as: reviewer },
];

const boundary = '----tapisBoundary7MA4YWxkTrZu0gW';
const malformed: [string, string, string][] = [
  [
    'a body that stops before its closing boundary',
    `multipart/form-data; boundary=${boundary}`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc`,
  ],
  [
    'a part without headers',
    `multipart/form-data; boundary=${boundary}`,
    `--${boundary}\r\n\r\n\r\nabc\r\n--${boundary}--\r\n`,
  ],
  [
    'no boundary in the content type',
    'multipart/form-data',
    `--${boundary}\r\n\r\nabc\r\n--${boundary}--\r\n`,
  ],
  ['garbage', `multipart/form-data; boundary=${boundary}`, '\u0000\u0001not multipart at all'],
  [
    'a malformed part header',
    `multipart/form-data; boundary=${boundary}`,
    `--${boundary}\r\nContent-Disposition form-data name=file\r\n\r\nabc\r\n--${boundary}--\r\n`,
  ],
];

describe('malformed multipart bodies', () => {
  for (const [name, contentType, body] of malformed) {
    it(`are refused with a 4xx on every multipart route: ${name}`, async () => {
      for (const route of multipartRoutes()) {
        const response = await app.request({
          method: 'POST',
          url: route.url,
          as: route.as,
          headers: { 'content-type': contentType },
          payload: body,
        });
        expect(response.statusCode, `${route.url}: ${response.body}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${route.url}: ${response.body}`).toBeLessThan(500);
        expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
    });
  }
});

describe('integers past what their column holds', () => {
  // integer (int4) columns hold up to 2^31 − 1; bigint ones are read as JavaScript numbers.
  const past: { url: (n: string) => string; as: () => Caller; values: string[] }[] = [
    { url: (n) => `/v1/policy/versions/${n}`, as: () => admin, values: ['2147483648', '1e300'] },
    {
      url: (n) => `/v1/notices/bulk/00000000-0000-7000-8000-000000000000?after_row=${n}`,
      as: () => analyst,
      values: ['2147483648', '99999999999999999999'],
    },
    { url: (n) => `/v1/audit?after=${n}`, as: () => admin, values: ['9223372036854775808', '1e300'] },
    { url: (n) => `/v1/events?after=${n}`, as: () => analyst, values: ['9223372036854775808', '1e300'] },
  ];
  it('are a 400 with the parameter named, in a path or a query', async () => {
    for (const { url, as, values } of past) {
      for (const n of values) {
        const response = await app.request({ method: 'GET', url: url(n), as: as() });
        expectProblem(response, 400);
        expect(response.json().errors?.[0]?.in, url(n)).toMatch(/querystring|params/);
      }
    }
  });

  it('still accept the largest value the column holds', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/policy/versions/2147483647', as: admin });
    expectProblem(response, 404);
    const audit = await app.request({ method: 'GET', url: '/v1/audit?after=9007199254740991', as: admin });
    expect(audit.statusCode).toBe(200);
  });
});

describe('a NUL byte in a query string', () => {
  it('is a 400, wherever it is', async () => {
    for (const { url, as } of [
      { url: '/v1/audit?object_type=case%00x', as: admin },
      { url: '/v1/audit?action=%00', as: admin },
      { url: '/v1/notices?status=%00', as: analyst },
      { url: '/v1/queue?jurisdiction=I%00', as: reviewer },
    ]) {
      const response = await app.request({ method: 'GET', url, as });
      expectProblem(response, 400);
    }
  });
});

describe('a bank CSV with a stray quote', () => {
  it('is a 400 that says where, and adds nothing', async () => {
    const before = await app.ctx.db
      .selectFrom('bank_entries')
      .select('id')
      .where('bank_id', '=', bankId)
      .execute();
    const response = await app.request({
      method: 'POST',
      url: `/v1/banks/${bankId}/import`,
      as: admin,
      headers: { 'content-type': 'text/csv' },
      payload: `signal_type,signal,note\nurl,https://example.test/a,"unclosed\nurl,https://example.test/b,ok\n`,
    });
    expectProblem(response, 400);
    expect(response.json().detail).toMatch(/line|quote/i);
    const after = await app.ctx.db
      .selectFrom('bank_entries')
      .select('id')
      .where('bank_id', '=', bankId)
      .execute();
    expect(after.length).toBe(before.length);
    const inner = await app.request({
      method: 'POST',
      url: `/v1/banks/${bankId}/import`,
      as: admin,
      headers: { 'content-type': 'text/csv' },
      payload: `signal_type,signal,note\nurl,https://example.test/a,bad"quote\n`,
    });
    expectProblem(inner, 400);
  });
});
