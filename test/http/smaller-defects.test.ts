import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { png, uploadEvidence } from '../support/uploads.ts';

/** The smaller defects of the hostile review (issue 15, defect 7), each as a user meets it. */
let app: TestApp;
let admin: Caller;
let komdigiAdmin: Caller;
let analyst: Caller;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_METRICS_TOKEN: METRICS_TOKEN } });
  admin = await app.loginAs('admin@platform.example');
  komdigiAdmin = await app.loginAs('admin@komdigi.example');
  analyst = await app.loginAs('analis@komdigi.example');
});
afterAll(() => app.close());

const notice = (targets: string[], extra: Record<string, unknown> = {}) =>
  app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets,
      category: 'terrorism',
      explanation: 'Synthetic notice for tests.',
      good_faith: true,
      ...extra,
    },
  });

describe('the bank CSV export', () => {
  it('leaves no spreadsheet formula live', async () => {
    const bank = await app.request({
      method: 'POST',
      url: '/v1/banks',
      as: admin,
      payload: { name: 'formula-bank', policy: 'review' },
    });
    const id = bank.json().id;
    const added = await app.request({
      method: 'POST',
      url: `/v1/banks/${id}/entries`,
      as: admin,
      payload: {
        entries: [
          {
            signal_type: 'url',
            value: 'https://example.org/a',
            note: '=HYPERLINK("http://evil.example","x")',
            source: '+cmd',
          },
        ],
      },
    });
    expect(added.statusCode).toBeLessThan(300);
    const csv = (await app.request({ method: 'GET', url: `/v1/banks/${id}/export`, as: admin })).body;
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).toContain(`'+cmd`);
    expect(csv).not.toMatch(/(^|,)"?[=+@]/m);
  });
});

describe('answers that carry secrets', () => {
  it('say Cache-Control: no-store (login, me, a new key, a new webhook)', async () => {
    const login = await app.request({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'lead@platform.example', password: 'tapis-demo-2026' },
    });
    expect(login.headers['cache-control']).toBe('no-store');
    const me = await app.request({ method: 'GET', url: '/v1/me', as: admin });
    expect(me.headers['cache-control']).toBe('no-store');
    const key = await app.request({
      method: 'POST',
      url: '/v1/orgs/komdigi/keys',
      as: komdigiAdmin,
      payload: { name: 'cache' },
    });
    expect(key.statusCode).toBe(201);
    expect(key.headers['cache-control']).toBe('no-store');
  });
});

describe('/metrics', () => {
  it('needs the metrics token when one is set', async () => {
    expect((await app.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.request({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await app.request({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('tapis_http_requests_total');
  });
});

describe('another organisation’s records', () => {
  it('answer 404, as a missing id does, to a flagger_admin: a key and a user', async () => {
    const key = await app.request({
      method: 'POST',
      url: '/v1/orgs/ngo/keys',
      as: admin,
      payload: { name: 'theirs' },
    });
    const keyId = key.json().api_key.id;
    const revoke = await app.request({ method: 'POST', url: `/v1/keys/${keyId}/revoke`, as: komdigiAdmin });
    const missing = await app.request({
      method: 'POST',
      url: '/v1/keys/00000000-0000-7000-8000-00000000abcd/revoke',
      as: komdigiAdmin,
    });
    expect(revoke.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const users = (await app.request({ method: 'GET', url: '/v1/users?org=ngo', as: admin })).json().items;
    const disable = await app.request({
      method: 'POST',
      url: `/v1/users/${users[0].id}/disable`,
      as: komdigiAdmin,
    });
    expect(disable.statusCode).toBe(404);
    const still = await app.ctx.db
      .selectFrom('users')
      .select('disabled_at')
      .where('id', '=', users[0].id)
      .executeTakeFirstOrThrow();
    expect(still.disabled_at).toBeNull();
  });
});

describe('the last administrator', () => {
  it('cannot be disabled by a flagger_admin', async () => {
    const me = (await app.request({ method: 'GET', url: '/v1/me', as: komdigiAdmin })).json();
    const response = await app.request({
      method: 'POST',
      url: `/v1/users/${me.id}/disable`,
      as: komdigiAdmin,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/last flagger_admin/);
  });
});

describe('notices', () => {
  it('refuse a jurisdiction tapis has no record of', async () => {
    const response = await notice(['@zz_jurisdiction_channel'], { jurisdiction: 'ZZ' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/jurisdiction');
  });

  it('refuse a host that only looks like t.me', async () => {
    for (const target of ['https://t.мe/lookalike_channel', 'https://telegrаm.me/lookalike_channel']) {
      const response = await notice([target]);
      expect(response.statusCode, target).toBe(400);
      expect(response.body).toMatch(/only looks like/);
    }
  });

  it('keep no .html name on a polyglot upload: the name follows what the file is', async () => {
    const receipt = await notice(['@polyglot_channel']);
    const image = Buffer.concat([
      await png('#123456'),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ]);
    const [stored] = await uploadEvidence(app, analyst, receipt.json().notice_id, [
      { name: 'page.html', data: image },
    ]);
    const row = await app.ctx.db
      .selectFrom('evidence')
      .select('filename')
      .where('id', '=', stored!.id)
      .executeTakeFirstOrThrow();
    expect(row.filename).toBe('page.png');
  });
});
