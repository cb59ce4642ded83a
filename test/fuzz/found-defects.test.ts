import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * The defects the OpenAPI fuzzer (test/fuzz/openapi.fuzz.test.ts) found, each kept as a
 * focused test: each failed before its fix.
 */
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response.body).status).toBe(status);
}

describe('defects found by fuzzing', { timeout: 90_000 }, () => {
  it('answers a path parameter past the router’s length with a 414 problem document', async () => {
    const response = await app.request({
      method: 'POST',
      url: `/v1/notices/${'A'.repeat(300)}/thread/read`,
      payload: {},
    });
    expectProblem(response, 414);
    expect(response.json().detail).toMatch(/longer than this server accepts/);
    // The over-long path is not echoed back.
    expect(response.body).not.toContain('A'.repeat(300));
  });

  it('answers a percent-encoding that is not UTF-8 in the path with a 400 problem document', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/notices/%ED%A0%80' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  });

  it('leaves no organisation behind when the public form refuses the first notice', async () => {
    const before = await app.ctx.db.selectFrom('organisations').select('slug').execute();
    expect(before.map((o) => o.slug)).not.toContain('public');
    const refused = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: {
        targets: ['https://t.me/fuzz_public/1'],
        category: 'hoax',
        explanation: 'Synthetic: an anonymous notice in a category that needs a name.',
        good_faith: true,
        anonymous: true,
      },
    });
    expectProblem(refused, 400);
    expect(refused.json().errors[0].pointer).toBe('/anonymous');
    const after = await app.ctx.db.selectFrom('organisations').select('slug').execute();
    expect(after.map((o) => o.slug).sort()).toEqual(before.map((o) => o.slug).sort());
    // A notice the form accepts still makes the organisation, once.
    const accepted = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: {
        targets: ['https://t.me/fuzz_public/2'],
        category: 'terrorism',
        explanation: 'Synthetic: a public notice with a name and an address.',
        good_faith: true,
        notifier: { name: 'Synthetic Person', email: 'person@example.org' },
      },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const publicOrgs = await app.ctx.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'public')
      .execute();
    expect(publicOrgs).toHaveLength(1);
  });

  it('answers 404 for a page asset named like a property every object has', async () => {
    for (const name of ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expectProblem(await app.request({ method: 'GET', url: `/transparency/assets/${name}` }), 404);
    }
    const real = await app.request({ method: 'GET', url: '/transparency/assets/report.css' });
    expect(real.statusCode).toBe(200);
  });
});
