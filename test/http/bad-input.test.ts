import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Bad input gets a clear 4xx problem document, never a 500, and writes nothing. The
 * target is POST /v1/orgs, a route that writes an organisation and an audit entry.
 */
let app: TestApp;
let admin: Caller;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
});
afterAll(() => app.close());

async function counts() {
  const orgs = await app.ctx.db
    .selectFrom('organisations')
    .select(app.ctx.db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const audit = await app.ctx.db
    .selectFrom('audit_log')
    .select(app.ctx.db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { orgs: Number(orgs.n), audit: Number(audit.n) };
}

async function post(payload: string | Buffer, contentType = 'application/json') {
  return app.request({
    method: 'POST',
    url: '/v1/orgs',
    as: admin,
    headers: { 'content-type': contentType },
    payload,
  });
}

const cases: [string, () => string | Buffer, number, RegExp][] = [
  ['a malformed body', () => '{"slug": "x", ', 400, /not valid JSON/],
  [
    'an unknown field',
    () => JSON.stringify({ slug: 'ok-org', name: 'OK', kind: 'ngo', is_admin: true }),
    400,
    /unknown field 'is_admin'/,
  ],
  ['a wrong type', () => JSON.stringify({ slug: 'ok-org', name: 42, kind: 'ngo' }), 400, /name/],
  [
    'a value outside the allowed set',
    () => JSON.stringify({ slug: 'ok-org', name: 'OK', kind: 'cabal' }),
    400,
    /kind/,
  ],
  [
    'a 2 MiB body',
    () => JSON.stringify({ slug: 'ok-org', name: 'x'.repeat(2 * 1024 * 1024), kind: 'ngo' }),
    413,
    /larger/,
  ],
  [
    'invalid UTF-8',
    () =>
      Buffer.concat([
        Buffer.from('{"slug":"ok-org","name":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('","kind":"ngo"}'),
      ]),
    400,
    /UTF-8/,
  ],
  ['a NUL character', () => '{"slug":"ok-org","name":"a\\u0000b","kind":"ngo"}', 400, /NUL/],
  ['an unpaired surrogate', () => '{"slug":"ok-org","name":"a\\ud800b","kind":"ngo"}', 400, /surrogate/],
  [
    'a prototype-polluting key',
    () => '{"slug":"ok-org","name":"OK","kind":"ngo","__proto__":{"admin":true}}',
    400,
    /__proto__/,
  ],
  ['an empty body', () => '', 400, /empty/],
  ['a JSON array instead of an object', () => '[1,2,3]', 400, /expected object/i],
  [
    'deeply nested junk',
    () => `${'['.repeat(50000)}${']'.repeat(50000)}`,
    400,
    /nests too deeply|expected object/i,
  ],
];

describe('bad input', () => {
  for (const [name, body, status, detail] of cases) {
    it(`${name} gets a ${status} problem document and writes nothing`, async () => {
      const before = await counts();
      const response = await post(body());
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json();
      expect(problem).toMatchObject({
        status,
        type: expect.stringMatching(/^\/problems\//),
        title: expect.any(String),
      });
      expect(problem.detail).toMatch(detail);
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|node_modules/);
      expect(await counts()).toEqual(before);
    });
  }

  it('names the invalid fields as JSON pointers', async () => {
    const response = await post(JSON.stringify({ slug: 'Not A Slug!', name: '', kind: 'ngo', extra: 1 }));
    expect(response.statusCode).toBe(400);
    const pointers = response
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/extra', '/name', '/slug']);
  });

  it('refuses a content type the route does not take with 415', async () => {
    const response = await post('slug=x', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toBe('/problems/not-found');
  });

  it('refuses an unknown query parameter and a malformed path id', async () => {
    const query = await app.request({ method: 'GET', url: '/v1/users?role=admin', as: admin });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0]).toMatchObject({ in: 'querystring', pointer: '/role' });
    const id = await app.request({
      method: 'POST',
      url: '/v1/keys/not-a-uuid/revoke',
      as: admin,
      payload: {},
    });
    expect(id.statusCode).toBe(400);
    expect(id.json().errors[0]).toMatchObject({ in: 'params', pointer: '/id' });
  });

  it('still accepts a well-formed body after all that', async () => {
    const response = await post(
      JSON.stringify({ slug: 'ok-org', name: 'Bahasa, العربية, 日本語 👍', kind: 'ngo' }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().name).toBe('Bahasa, العربية, 日本語 👍');
  });
});
