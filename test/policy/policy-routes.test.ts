import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/policy/sop-policy.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let admin: Caller;
let reviewer: Caller;
let analyst: Caller;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
  reviewer = await app.loginAs('reviewer@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
});
afterAll(() => app.close());

describe('the SOP policy', () => {
  it('starts as the default file, version 1', async () => {
    const current = (await app.request({ method: 'GET', url: '/v1/policy', as: reviewer })).json();
    expect(current.version).toBe(1);
    expect(current.document).toEqual(defaultPolicy);
  });

  it('an admin saves a new version, every version is kept and audited, and new notices follow it', async () => {
    // The 2025 quote of 12 hours instead of 4 for urgent content, as a setting (RULEBOOK).
    const document = structuredClone(defaultPolicy);
    for (const rule of document.rules)
      if (rule.jurisdiction === 'ID' && rule.legal_deadline_hours === 4) rule.legal_deadline_hours = 12;
    const saved = await app.request({
      method: 'PUT',
      url: '/v1/policy',
      as: admin,
      payload: { document, note: 'Urgent deadline 12 h per 2025 guidance' },
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().version).toBe(2);
    const versions = (await app.request({ method: 'GET', url: '/v1/policy/versions', as: reviewer })).json()
      .items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(
      (await app.request({ method: 'GET', url: '/v1/policy/versions/1', as: reviewer })).json().document,
    ).toEqual(defaultPolicy);

    const notice = (
      await app.request({
        method: 'POST',
        url: '/v1/notices',
        as: analyst,
        payload: {
          targets: ['@policy_channel'],
          category: 'csam',
          explanation: 'Synthetic test notice under the new policy.',
          good_faith: true,
        },
      })
    ).json();
    expect(new Date(notice.deadline).getTime() - new Date(notice.received_at).getTime()).toBe(12 * 3600_000);
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'sop_policy')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['policy.version_created', 'policy.version_created']);
  });

  it('a reviewer cannot change it', async () => {
    const response = await app.request({
      method: 'PUT',
      url: '/v1/policy',
      as: reviewer,
      payload: { document: defaultPolicy, note: 'x' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('an invalid document is refused whole, with the fields at fault', async () => {
    const document = {
      ...structuredClone(defaultPolicy),
      rules: [{ jurisdiction: 'ID', category: 'nope', source_type: '*', legal_deadline_hours: 4 }],
    };
    const response = await app.request({
      method: 'PUT',
      url: '/v1/policy',
      as: admin,
      payload: { document, note: 'bad' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/rules/0/category', '/rules']),
    );
    expect((await app.request({ method: 'GET', url: '/v1/policy', as: admin })).json().version).toBe(2);
  });

  it('publishes the taxonomy with Indonesian and English labels', async () => {
    const taxonomy = (await app.request({ method: 'GET', url: '/v1/taxonomy' })).json().items;
    expect(taxonomy.find((c: { code: string }) => c.code === 'terrorism').labels).toEqual({
      id: 'Terorisme',
      en: 'Terrorism',
    });
  });
});

describe('jurisdiction records', () => {
  it('are public: the local representative, contact point, languages, time zone and deadlines', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/jurisdictions/ID' });
    expect(response.statusCode).toBe(200);
    const record = response.json();
    expect(record).toMatchObject({
      code: 'ID',
      languages: ['id', 'en'],
      time_zone: 'Asia/Jakarta',
      legal_representative: { name: expect.any(String) },
      // The single point of contact (TCO Art. 15, DSA Art. 11), published with its languages.
      contact_point: { name: expect.any(String), email: 'kontak.id@platform.example' },
    });
    expect(record.escalation_roster).toBeUndefined();
    expect(
      record.deadlines.some(
        (d: { applies_to: { category: string } }) => d.applies_to.category === 'terrorism',
      ),
    ).toBe(true);
  });

  it('are edited by admins only, and the time zone must be real', async () => {
    const body = {
      name: 'Malaysia',
      legal_representative: { name: 'Demo Platform Sdn Bhd' },
      contact_point: { name: 'Compliance', email: 'my@platform.example' },
      languages: ['ms', 'en'],
      time_zone: 'Asia/Kuala_Lumpur',
    };
    expect(
      (await app.request({ method: 'PUT', url: '/v1/jurisdictions/MY', as: reviewer, payload: body }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await app.request({
          method: 'PUT',
          url: '/v1/jurisdictions/MY',
          as: admin,
          payload: { ...body, time_zone: 'Mars/Olympus' },
        })
      ).statusCode,
    ).toBe(400);
    const saved = await app.request({ method: 'PUT', url: '/v1/jurisdictions/MY', as: admin, payload: body });
    expect(saved.statusCode).toBe(200);
    expect(
      (await app.request({ method: 'GET', url: '/v1/jurisdictions' }))
        .json()
        .items.map((j: { code: string }) => j.code),
    ).toEqual(['ID', 'MY']);
    expect((await app.request({ method: 'GET', url: '/v1/jurisdictions/FR' })).statusCode).toBe(404);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After past an organisation’s limit', async () => {
    const limited = await createTestApp({ env: { TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '5' } });
    try {
      const ngo = await limited.loginAs('analyst@ngo.example');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await limited.request({ method: 'GET', url: '/v1/notices', as: ngo })).statusCode);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const refused = await limited.request({ method: 'GET', url: '/v1/notices', as: ngo });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another organisation has its own allowance.
      const komdigi = await limited.loginAs('analis@komdigi.example');
      expect((await limited.request({ method: 'GET', url: '/v1/notices', as: komdigi })).statusCode).toBe(
        200,
      );
      limited.clock.advance(60_000);
      expect((await limited.request({ method: 'GET', url: '/v1/notices', as: ngo })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
