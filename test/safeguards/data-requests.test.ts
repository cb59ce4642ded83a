import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalDigest } from '../../src/core/canonical-json.ts';
import { announceDataRequestClock } from '../../src/data-requests/requests.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Law-enforcement data requests (MR5/2020; issue 14 §7): an authority asks with a legal
 * basis, scope and urgency; a platform lead approves (fully or partly) or refuses with
 * reasons; what is disclosed is listed in a manifest with digests, delivered at the download
 * route and in the requester's thread, and audited; the request has its own clock.
 */
// Whole flows through the API, each many requests: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
const HOUR = 3_600_000;
let app: TestApp;
let admin: Caller;
let lead: Caller;
let peninjau: Caller;
let police: Caller;
let ngo: Caller;
let noticeId: string;

const request = (...args: Parameters<TestApp['request']>) => app.request(...args);
const ask = (as: Caller, overrides: Record<string, unknown> = {}) =>
  request({
    method: 'POST',
    url: '/v1/data-requests',
    as,
    payload: {
      reference: 'LP/123/XI/2026/Densus',
      subject: { target: '@dataposter' },
      legal_basis: 'UU 5/2018 Pasal 31; Permenkominfo 5/2020 Pasal 36',
      categories: ['subject', 'notices', 'decisions', 'enforcement'],
      period: { from: '2026-01-01T00:00:00Z', to: '2026-12-31T23:59:59Z' },
      urgency: 'urgent',
      ...overrides,
    },
  });

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
  admin = await app.loginAs('admin@platform.example');
  lead = await app.loginAs('lead@platform.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  ngo = await app.loginAs('analyst@ngo.example');
  const org = await request({
    method: 'POST',
    url: '/v1/orgs',
    as: admin,
    payload: { slug: 'polri', name: 'Synthetic police unit', kind: 'law_enforcement' },
  });
  expect(org.statusCode, org.body).toBe(201);
  const user = await request({
    method: 'POST',
    url: '/v1/users',
    as: admin,
    payload: {
      org: 'polri',
      email: 'penyidik@polri.example',
      display_name: 'Synthetic investigator',
      roles: ['flagger'],
      languages: ['id'],
      jurisdictions: ['ID'],
      password: 'tapis-demo-2026',
    },
  });
  expect(user.statusCode, user.body).toBe(201);
  police = await app.loginAs('penyidik@polri.example');
  // A decided case about a message of the channel, and a notice of the police's own for the thread.
  const notice = await request({
    method: 'POST',
    url: '/v1/notices',
    as: police,
    payload: {
      targets: ['https://t.me/dataposter/5'],
      category: 'terrorism',
      explanation: 'Synthetic test notice for data requests.',
      good_faith: true,
    },
  });
  expect(notice.statusCode, notice.body).toBe(201);
  noticeId = notice.json().notice_id;
  const caseId = notice.json().targets[0].case_id;
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode).toBe(
    200,
  );
  const decided = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: peninjau,
    payload: {
      outcome: 'remove',
      grounds: { illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Synthetic: propaganda.' } },
    },
  });
  expect(decided.statusCode, decided.body).toBe(201);
});
afterAll(() => app.close());

describe('a law-enforcement data request', () => {
  let id: string;

  it('is asked by an authority, with its clock from the SOP policy; a retry is the same request', async () => {
    const response = await ask(police, { notice_id: noticeId });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    id = created.id;
    expect(created).toMatchObject({ status: 'received', urgency: 'urgent', clock: 'on_time', org: 'polri' });
    expect(new Date(created.due_at).getTime() - new Date(created.received_at).getTime()).toBe(4 * HOUR);
    const retry = await ask(police, { notice_id: noticeId });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(id);
    const different = await ask(police, { legal_basis: 'Something else' });
    expect(different.statusCode).toBe(409);
  });

  it('is refused to organisations that are not authorities, and hidden from other organisations', async () => {
    const refused = await ask(ngo, { reference: 'NGO-1' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/law-enforcement/);
    expect((await request({ method: 'GET', url: `/v1/data-requests/${id}`, as: ngo })).statusCode).toBe(404);
    expect((await request({ method: 'GET', url: '/v1/data-requests', as: ngo })).json().items).toEqual([]);
    const decide = await request({
      method: 'POST',
      url: `/v1/data-requests/${id}/decision`,
      as: peninjau,
      payload: { decision: 'approve', reasons: 'x' },
    });
    expect(decide.statusCode).toBe(403);
  });

  it('announces at risk, then breached, as leads’ alerts and audit entries', async () => {
    app.clock.advance(2 * HOUR + 1000);
    expect(await announceDataRequestClock(app.ctx.db, app.clock())).toBe(1);
    expect(await announceDataRequestClock(app.ctx.db, app.clock())).toBe(0);
    lead = await app.loginAs('lead@platform.example');
    const atRisk = (
      await request({ method: 'GET', url: '/v1/alerts?kind=data_request_at_risk', as: lead })
    ).json().items;
    expect(atRisk).toHaveLength(1);
    expect(atRisk[0].data).toMatchObject({ data_request_id: id });
    app.clock.advance(2 * HOUR);
    expect(await announceDataRequestClock(app.ctx.db, app.clock())).toBe(1);
    lead = await app.loginAs('lead@platform.example');
    const breached = (
      await request({ method: 'GET', url: '/v1/alerts?kind=data_request_breached', as: lead })
    ).json().items;
    expect(breached).toHaveLength(1);
    expect((await request({ method: 'GET', url: `/v1/data-requests/${id}`, as: lead })).json().clock).toBe(
      'breached',
    );
  });

  it('is approved in part with reasons: the package lists what is disclosed, with digests, delivered and audited', async () => {
    const bad = await request({
      method: 'POST',
      url: `/v1/data-requests/${id}/decision`,
      as: lead,
      payload: { decision: 'approve_partly', reasons: 'x', categories: ['preserved_content'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    const decided = await request({
      method: 'POST',
      url: `/v1/data-requests/${id}/decision`,
      as: lead,
      payload: {
        decision: 'approve_partly',
        reasons: 'Synthetic: the enforcement log is not needed for the stated purpose.',
        categories: ['notices', 'decisions'],
      },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'partly_approved',
      disclosed_categories: ['notices', 'decisions'],
    });
    const again = await request({
      method: 'POST',
      url: `/v1/data-requests/${id}/decision`,
      as: lead,
      payload: { decision: 'refuse', reasons: 'Changed my mind.' },
    });
    expect(again.statusCode).toBe(409);

    police = await app.loginAs('penyidik@polri.example');
    const pack = await request({ method: 'GET', url: `/v1/data-requests/${id}/package`, as: police });
    expect(pack.statusCode).toBe(200);
    const body = pack.json();
    expect(body.manifest.files.map((f: { name: string }) => f.name)).toEqual([
      'notices.json',
      'decisions.json',
    ]);
    for (const file of body.manifest.files) expect(canonicalDigest(body.files[file.name])).toBe(file.sha256);
    expect(canonicalDigest(body.manifest)).toBe(body.digest);
    expect(body.files['notices.json']).toEqual([expect.objectContaining({ id: noticeId })]);
    expect(body.files['decisions.json']).toEqual([expect.objectContaining({ outcome: 'remove' })]);

    const thread = (
      await request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: police })
    ).json().items;
    expect(thread.at(-1).body).toContain(body.digest);
    await app.ctx.reads.flush();
    const audit = (
      await request({ method: 'GET', url: `/v1/audit?object_id=${id}&limit=100`, as: admin })
    ).json().items;
    const actions = audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'data_request.received',
        'data_request.at_risk',
        'data_request.breached',
        'data_request.partly_approved',
        'read.data_request_package',
      ]),
    );
    const disclosed = audit.find((e: { action: string }) => e.action === 'data_request.partly_approved');
    expect(disclosed.change).toMatchObject({
      package_digest: body.digest,
      on_time: false,
      manifest: body.manifest,
    });
  });

  it('is refused with reasons, and nothing is packaged', async () => {
    const created = (await ask(police, { reference: 'LP/124', urgency: 'normal' })).json();
    expect(new Date(created.due_at).getTime() - new Date(created.received_at).getTime()).toBe(72 * HOUR);
    lead = await app.loginAs('lead@platform.example');
    const refused = await request({
      method: 'POST',
      url: `/v1/data-requests/${created.id}/decision`,
      as: lead,
      payload: { decision: 'refuse', reasons: 'Synthetic: the legal basis does not cover this subject.' },
    });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', manifest: null, package_digest: null });
    expect(
      (await request({ method: 'GET', url: `/v1/data-requests/${created.id}/package`, as: police }))
        .statusCode,
    ).toBe(404);
  });

  it('answers bad input with problem+json', async () => {
    police = await app.loginAs('penyidik@polri.example');
    const cases: Record<string, unknown>[] = [
      { categories: [] },
      { categories: ['everything'] },
      { urgency: 'yesterday' },
      { subject: { target: 'https://t.me/\u202eevil' } },
      { subject: { target: 'x'.repeat(3000) } },
      { period: { from: '2026-12-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
      { period: { from: 'then', to: 'now' } },
      { legal_basis: '' },
      { reference: 'R-'.repeat(200) },
      { notice_id: '00000000-0000-7000-8000-000000000000' },
      { extra: 1 },
    ];
    for (const [i, overrides] of cases.entries()) {
      const response = await ask(police, { reference: `BAD-${i}`, ...overrides });
      expect(response.statusCode, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
