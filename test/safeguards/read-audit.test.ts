import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Reads by officials are audited (MR5; issue 14 §8): notices, threads, evidence, case files
 * and the audit log itself; batched, coalesced within a short window, flushed on shutdown;
 * queryable by kind; and a decision's audit entry names its order reference and legal basis.
 */
// Whole flows through the API, each many requests: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
let app: TestApp;
let admin: Caller;
let analyst: Caller;
let peninjau: Caller;
let auditor: Caller;
let caseId: string;
let noticeId: string;

const request = (...args: Parameters<TestApp['request']>) => app.request(...args);
const reads = async (query = '') => {
  await app.ctx.reads.flush();
  const response = await request({ method: 'GET', url: `/v1/audit?kind=read&limit=1000${query}`, as: admin });
  expect(response.statusCode).toBe(200);
  return response.json().items as {
    action: string;
    object_id: string;
    actor_id: string;
    actor_type: string;
  }[];
};

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
  admin = await app.loginAs('admin@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
  const notice = await request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      kind: 'order',
      order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
      targets: ['https://t.me/readaudit/1'],
      category: 'terrorism',
      legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
      explanation: 'Synthetic test order for read audit.',
      reference: 'B-777/KOMDIGI/2026',
      legal_references: [{ instrument: 'UU No. 5 Tahun 2018', provision: 'Pasal 13A' }],
      language: 'id',
      good_faith: true,
    },
  });
  expect(notice.statusCode, notice.body).toBe(201);
  noticeId = notice.json().notice_id;
  caseId = notice.json().targets[0].case_id;
});
afterAll(() => app.close());

describe('reads by officials', () => {
  it('are audit entries, one per caller and record within the window', async () => {
    const before = (await reads()).length;
    for (let i = 0; i < 3; i++)
      expect((await request({ method: 'GET', url: `/v1/cases/${caseId}`, as: peninjau })).statusCode).toBe(
        200,
      );
    expect((await request({ method: 'GET', url: `/v1/notices/${noticeId}`, as: analyst })).statusCode).toBe(
      200,
    );
    expect(
      (await request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: analyst })).statusCode,
    ).toBe(200);
    const after = await reads();
    const added = after.slice(before);
    expect(added.filter((e) => e.action === 'read.case' && e.object_id === caseId)).toHaveLength(1);
    expect(added.filter((e) => e.action === 'read.notice' && e.object_id === noticeId)).toHaveLength(1);
    expect(added.filter((e) => e.action === 'read.notice_thread')).toHaveLength(1);
    // The window passes: the next read is an entry of its own.
    app.clock.advance(61_000);
    await request({ method: 'GET', url: `/v1/cases/${caseId}`, as: peninjau });
    expect((await reads()).filter((e) => e.action === 'read.case' && e.object_id === caseId)).toHaveLength(2);
  });

  it('include reads of the audit log itself, and the log filters reads from changes', async () => {
    expect(
      (await request({ method: 'GET', url: '/v1/audit?action=case.decided', as: auditor })).statusCode,
    ).toBe(200);
    const audited = await reads();
    expect(audited.some((e) => e.action === 'read.audit_log')).toBe(true);
    expect(audited.every((e) => e.action.startsWith('read.'))).toBe(true);
    const changes = (
      await request({ method: 'GET', url: '/v1/audit?kind=change&limit=1000', as: admin })
    ).json().items;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.some((e: { action: string }) => e.action.startsWith('read.'))).toBe(false);
  });

  it('are not recorded for failed reads', async () => {
    const missing = '00000000-0000-7000-8000-000000000000';
    expect((await request({ method: 'GET', url: `/v1/cases/${missing}`, as: peninjau })).statusCode).toBe(
      404,
    );
    expect((await reads()).some((e) => e.object_id === missing)).toBe(false);
  });

  it('are flushed when the server shuts down', async () => {
    const other = await createTestApp();
    const reviewer = await other.loginAs('peninjau@platform.example');
    const flagger = await other.loginAs('analis@komdigi.example');
    const notice = await other.request({
      method: 'POST',
      url: '/v1/notices',
      as: flagger,
      payload: {
        targets: ['https://t.me/readflush/1'],
        category: 'terrorism',
        explanation: 'Synthetic test notice for the flush.',
        good_faith: true,
      },
    });
    const id = notice.json().targets[0].case_id;
    await other.request({ method: 'GET', url: `/v1/cases/${id}`, as: reviewer });
    expect(other.ctx.reads.size).toBe(1);
    await other.server.app.close();
    const rows = await other.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', id)
      .execute();
    expect(rows.map((r) => r.action)).toContain('read.case');
    await other.store.close();
  });

  it('answer a bad audit filter with problem+json', async () => {
    for (const query of ['kind=peek', 'actor_id=' + 'x'.repeat(200), 'kind=read&bogus=1']) {
      const response = await request({ method: 'GET', url: `/v1/audit?${query}`, as: admin });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('the audit entry of a decision', () => {
  it('carries the order reference and the legal basis, not only a digest', async () => {
    expect(
      (await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode,
    ).toBe(200);
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
    const entry = (
      await request({ method: 'GET', url: `/v1/audit?action=case.decided&object_id=${caseId}`, as: auditor })
    ).json().items[0];
    expect(entry.change).toMatchObject({
      legal_basis: 'UU No. 5 Tahun 2018',
      territories: ['ID'],
      orders: [
        {
          notice_id: noticeId,
          reference: 'B-777/KOMDIGI/2026',
          legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
        },
      ],
    });
  });
});
