import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';

/**
 * Every kind of restriction DSA Art. 17(1) and the Transparency Database list (issue 14 §6):
 * each is a decision outcome with its connector action, its end date and its place in the
 * statement of reasons; a connector that cannot carry one out is named in a 422; the
 * territorial scope is the case's jurisdiction or the countries given, never a wildcard.
 */
// Whole flows through the API, each many requests: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
let desk: Desk;
let analyst: Caller;
let peninjau: Caller;
let serial = 0;

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);
const grounds = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018',
    explanation: 'Synthetic: propaganda of a designated group.',
  },
};

beforeAll(async () => {
  desk = await createDesk();
  analyst = await desk.app.loginAs('analis@komdigi.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
});
afterAll(() => desk.close());

async function claimedCase(target?: string): Promise<string> {
  serial += 1;
  const receipt = await desk.submit(analyst, {
    targets: [target ?? `https://t.me/restrictkinds${serial}/1`],
    category: 'terrorism',
    explanation: 'Synthetic test notice for restriction kinds.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  const claim = await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau });
  expect(claim.statusCode).toBe(200);
  return caseId;
}

async function statementOf(url: string) {
  const response = await request({ method: 'GET', url: statementApiPath(url) });
  expect(response.statusCode).toBe(200);
  return response.json().statement as Record<string, unknown>;
}

const kinds = [
  {
    body: { outcome: 'disable_access', duration_days: 30 },
    action: 'hide_message',
    field: ['decision_visibility', ['DECISION_VISIBILITY_CONTENT_DISABLED']],
    end: 'end_date_visibility_restriction',
  },
  {
    body: { outcome: 'demote', duration_days: 7 },
    action: 'demote_content',
    field: ['decision_visibility', ['DECISION_VISIBILITY_CONTENT_DEMOTED']],
    end: 'end_date_visibility_restriction',
  },
  {
    body: { outcome: 'age_restrict', min_age: 18 },
    action: 'age_restrict',
    field: ['decision_visibility', ['DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED']],
    end: null,
  },
  {
    body: { outcome: 'restrict_interaction', duration_days: 14 },
    action: 'restrict_interaction',
    field: ['decision_visibility', ['DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED']],
    end: 'end_date_visibility_restriction',
  },
  {
    body: { outcome: 'suspend_monetisation', duration_days: 90 },
    action: 'suspend_monetisation',
    field: ['decision_monetary', 'DECISION_MONETARY_SUSPENSION'],
    end: 'end_date_monetary_restriction',
  },
  {
    body: { outcome: 'terminate_monetisation' },
    action: 'terminate_monetisation',
    field: ['decision_monetary', 'DECISION_MONETARY_TERMINATION'],
    end: null,
  },
  {
    body: { outcome: 'suspend_service', service_scope: 'total', duration_days: 10 },
    action: 'suspend_service',
    field: ['decision_provision', 'DECISION_PROVISION_TOTAL_SUSPENSION'],
    end: 'end_date_service_restriction',
  },
  {
    body: { outcome: 'suspend_service', service_scope: 'partial', duration_days: 10 },
    action: 'suspend_service',
    field: ['decision_provision', 'DECISION_PROVISION_PARTIAL_SUSPENSION'],
    end: 'end_date_service_restriction',
  },
  {
    body: { outcome: 'terminate_service', service_scope: 'partial' },
    action: 'terminate_service',
    field: ['decision_provision', 'DECISION_PROVISION_PARTIAL_TERMINATION'],
    end: null,
  },
  {
    body: { outcome: 'terminate_service', service_scope: 'total' },
    action: 'terminate_service',
    field: ['decision_provision', 'DECISION_PROVISION_TOTAL_TERMINATION'],
    end: null,
  },
  {
    body: { outcome: 'suspend', suspension: { target: 'account', duration_days: 5 } },
    action: 'suspend_account',
    field: ['decision_account', 'DECISION_ACCOUNT_SUSPENDED'],
    end: 'end_date_account_restriction',
  },
  {
    body: { outcome: 'suspend', suspension: { target: 'account', permanent: true } },
    action: 'suspend_account',
    field: ['decision_account', 'DECISION_ACCOUNT_TERMINATED'],
    end: null,
  },
] as const;

describe('every kind of restriction', () => {
  it('is a decision outcome with its connector action, end date and statement field', async () => {
    for (const kind of kinds) {
      const caseId = await claimedCase();
      const response = await request({
        method: 'POST',
        url: `/v1/cases/${caseId}/decisions`,
        as: peninjau,
        payload: { ...kind.body, grounds },
      });
      expect(response.statusCode, `${kind.body.outcome}: ${response.body}`).toBe(201);
      let decided = response.json();
      if (decided.status === 'pending_approval') {
        // A permanent suspension waits for a second reviewer under the default four-eyes rule.
        const lead = await desk.app.loginAs('lead@platform.example');
        const approved = await request({
          method: 'POST',
          url: `/v1/decisions/${decided.decision_id}/approve`,
          as: lead,
        });
        expect(approved.statusCode, approved.body).toBe(200);
        decided = approved.json();
      }
      expect(decided.statement_url, `${kind.body.outcome}: ${response.body}`).toEqual(expect.any(String));
      const action = decided.actions.find((a: { type: string }) => a.type === kind.action);
      expect(action, kind.body.outcome).toBeDefined();
      expect(action.connector).toBe('webhook');
      const statement = await statementOf(decided.statement_url);
      expect(statement[kind.field[0]], kind.body.outcome).toEqual(kind.field[1]);
      if (kind.end) expect(statement[kind.end], kind.body.outcome).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const end of [
        'end_date_visibility_restriction',
        'end_date_monetary_restriction',
        'end_date_service_restriction',
        'end_date_account_restriction',
      ])
        if (end !== kind.end) expect(statement[end], `${kind.body.outcome} ${end}`).toBeNull();
      expect(statement.territorial_scope).toEqual([]);
      expect(statement.territories).toEqual(['ID']);
    }
    await desk.drain();
    const applied = desk.platform.effects.map((e) => e.type);
    for (const kind of kinds) expect(applied).toContain(kind.action);
  });

  it('records territorial_scope as the countries given, never a wildcard', async () => {
    const caseId = await claimedCase();
    const response = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: peninjau,
      payload: { outcome: 'remove', grounds, territories: ['DE', 'FR'] },
    });
    expect(response.statusCode).toBe(201);
    const statement = await statementOf(response.json().statement_url);
    expect(statement.territorial_scope).toEqual(['DE', 'FR']);
    expect(statement.territories).toEqual(['DE', 'FR']);
    const file = (await request({ method: 'GET', url: `/v1/cases/${caseId}`, as: peninjau })).json();
    expect(file.decisions.at(-1).territories).toEqual(['DE', 'FR']);
    expect(JSON.stringify(file.decisions)).not.toContain('"*"');
  });

  it('refuses contradictory or missing restriction details with problem+json', async () => {
    const caseId = await claimedCase();
    const cases: [Record<string, unknown>, string][] = [
      [{ outcome: 'suspend_service', service_scope: 'total' }, '/duration_days'],
      [{ outcome: 'terminate_service', service_scope: 'total', duration_days: 3 }, '/duration_days'],
      [{ outcome: 'suspend_service', duration_days: 3 }, '/service_scope'],
      [{ outcome: 'demote', service_scope: 'total' }, '/service_scope'],
      [{ outcome: 'remove', min_age: 18 }, '/min_age'],
      [{ outcome: 'suspend_monetisation' }, '/duration_days'],
      [{ outcome: 'demote', duration_days: 0 }, '/duration_days'],
      [{ outcome: 'age_restrict', min_age: 'eighteen' }, '/min_age'],
      [{ outcome: 'demote', territories: ['*'] }, '/territories/0'],
      [{ outcome: 'demote', territories: ['I\u200dD'] }, '/territories/0'],
      [{ outcome: 'demote', severity: 3 }, ''],
    ];
    for (const [body, pointer] of cases) {
      const response = await request({
        method: 'POST',
        url: `/v1/cases/${caseId}/decisions`,
        as: peninjau,
        payload: { ...body, grounds },
      });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      if (pointer) expect(JSON.stringify(response.json().errors), JSON.stringify(body)).toContain(pointer);
    }
  });
});

describe('a connector that cannot carry out a restriction', () => {
  let demo: TestApp;
  let demoReviewer: Caller;
  beforeAll(async () => {
    demo = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
    demoReviewer = await demo.loginAs('peninjau@platform.example');
  });
  afterAll(() => demo.close());

  it('is named, with the outcome, in a 409 before anything is written', async () => {
    const flagger = await demo.loginAs('analis@komdigi.example');
    const notice = await demo.request({
      method: 'POST',
      url: '/v1/notices',
      as: flagger,
      payload: {
        targets: ['https://t.me/demokinds/1'],
        category: 'terrorism',
        explanation: 'Synthetic test notice for the demo connector.',
        good_faith: true,
      },
    });
    expect(notice.statusCode).toBe(201);
    const caseId = notice.json().targets[0].case_id;
    expect(
      (await demo.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: demoReviewer })).statusCode,
    ).toBe(200);
    for (const body of [
      { outcome: 'demote', duration_days: 3 },
      { outcome: 'suspend_monetisation', duration_days: 3 },
      { outcome: 'terminate_service', service_scope: 'total' },
    ]) {
      const response = await demo.request({
        method: 'POST',
        url: `/v1/cases/${caseId}/decisions`,
        as: demoReviewer,
        payload: { ...body, grounds },
      });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().detail).toMatch(/not supported by this connector/);
      expect(response.json().not_supported).toMatchObject({
        connector: 'demo_platform',
        outcome: body.outcome,
      });
    }
    const decisions = await demo.ctx.db
      .selectFrom('decisions')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(decisions).toEqual([]);
  });
});
