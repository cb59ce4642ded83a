import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { seedReportWorld } from '../support/report-fixture.ts';

/**
 * A trusted flagger's annual report, SLA figures and the public daily counters, on the world
 * of test/support/report-fixture.ts with the clock at noon on 1 January 2027.
 */
let app: TestApp;
let lead: Caller;
let komdigi: Caller;
let ngo: Caller;

async function actioned(kind: string, category: string, appliedAt: string, type = 'hide_message') {
  const caseId = newId();
  const db = app.ctx.db;
  await db
    .insertInto('cases')
    .values({
      id: caseId,
      subject_key: `telegram:${kind}:counter/${caseId}`,
      subject: JSON.stringify({ kind }),
      status: 'closed',
      jurisdiction: 'ID',
      category,
      severity: 5,
      trusted: false,
      notice_count: 0,
      language: 'id',
      opened_at: new Date(appliedAt),
      outcome: 'removed',
    })
    .execute();
  const decisionId = newId();
  await db
    .insertInto('decisions')
    .values({
      id: decisionId,
      case_id: caseId,
      decided_by: newId(),
      outcome: 'remove',
      grounds: '{}',
      territories: [],
      suspension: 'null',
      label: null,
      actions: '[]',
      irreversible: false,
      irreversible_acknowledged: false,
      automated_detection: false,
      automated_decision: false,
      language: 'id',
      template_id: null,
      status: 'final',
      needs_approval: null,
      created_at: new Date(appliedAt),
    })
    .execute();
  for (const [t, minutes] of [
    [type, 0],
    [type, 5],
  ] as const)
    await db
      .insertInto('enforcement_actions')
      .values({
        id: newId(),
        decision_id: decisionId,
        case_id: caseId,
        connector: 'webhook',
        type: t,
        subject: '{}',
        params: '{}',
        revertible: true,
        status: 'applied',
        applied_at: new Date(new Date(appliedAt).getTime() + minutes * 60_000),
        created_at: new Date(appliedAt),
      })
      .execute();
}

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2027-01-01T12:00:00Z');
  await seedReportWorld(app.ctx.db);
  lead = await app.loginAs('lead@platform.example');
  komdigi = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
  await actioned('channel', 'terrorism', '2026-12-31T10:00:00Z');
  await actioned('channel', 'terrorism', '2026-12-31T23:59:00Z');
  await actioned('bot', 'terrorism', '2027-01-01T01:00:00Z');
  await actioned('message', 'terrorism', '2027-01-01T02:00:00Z');
  await actioned('group', 'terrorism', '2027-01-01T03:00:00Z');
  // Not counted: another category, and a statement's delivery alone.
  await actioned('channel', 'gambling', '2027-01-01T04:00:00Z');
  await actioned('channel', 'terrorism', '2027-01-01T05:00:00Z', 'deliver_statement');
});
afterAll(() => app.close());

const get = (url: string, as: Caller = lead) => app.request({ method: 'GET', url, as });

describe('a trusted flagger’s annual report (DSA Art. 22(3))', () => {
  it('counts its notices of the year by category and by action taken, with no personal data', async () => {
    const response = await get('/v1/flaggers/komdigi/annual-report?year=2026', komdigi);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      flagger: { slug: 'komdigi', status: 'trusted' },
      year: 2026,
      notices: 3,
      by_category: [{ category: 'terrorism', notices: 3 }],
      by_action: [
        { action: 'actioned', notices: 2 },
        { action: 'received', notices: 1 },
      ],
    });
    // No submitter, notifier or e-mail address anywhere in it.
    expect(response.body).not.toMatch(/fixture|@|submitted_by|notifier/);
    expect((await get('/v1/flaggers/komdigi/annual-report?year=2025')).json().notices).toBe(1);
  });

  it('is its own flagger’s and the platform’s to read, no other flagger’s', async () => {
    expect((await get('/v1/flaggers/komdigi/annual-report?year=2026', ngo)).statusCode).toBe(404);
    expect((await get('/v1/flaggers/platform/annual-report?year=2026')).statusCode).toBe(404);
  });

  it('refuses a year out of range with a 400 naming the field', async () => {
    for (const year of ['1999', '2101', 'abc']) {
      const response = await get(`/v1/flaggers/komdigi/annual-report?year=${year}`, komdigi);
      expect(response.statusCode, year).toBe(400);
      expect(response.json().errors[0].pointer).toBe('/year');
    }
  });
});

describe('SLA figures', () => {
  it('give a lead every open notice with its time left, the breaches and compliance by week', async () => {
    const sla = (await get('/v1/sla?from=2026-01-01&to=2026-12-31')).json();
    expect(sla).toMatchObject({ scope: 'all', open: 4, breached: 2, at_risk: 1 });
    const n4 = sla.open_notices.find(
      (n: { legal_due_at: string }) => n.legal_due_at === '2027-01-01T23:59:59.000Z',
    );
    expect(n4).toMatchObject({ seconds_left: 43199, breached: false, paused: false });
    expect(sla.open_notices[0]).toMatchObject({ breached: true });
    expect(sla.compliance_by_week).toEqual(
      expect.arrayContaining([
        {
          week: '2026-W09',
          category: 'terrorism',
          notices: 1,
          answered: 1,
          within_legal_deadline: 1,
          share_within_legal_deadline: 1,
        },
        {
          week: '2026-W18',
          category: 'terrorism',
          notices: 1,
          answered: 1,
          within_legal_deadline: 0,
          share_within_legal_deadline: 0,
        },
        {
          week: '2026-W53',
          category: 'gambling',
          notices: 1,
          answered: 0,
          within_legal_deadline: 0,
          share_within_legal_deadline: null,
        },
      ]),
    );
  });

  it('show a flagger organisation its own notices only', async () => {
    const sla = (await get('/v1/sla?from=2026-01-01&to=2026-12-31', komdigi)).json();
    expect(sla).toMatchObject({ scope: 'own_organisation', open: 2, breached: 2, at_risk: 0 });
    expect(sla.compliance_by_week.map((w: { category: string }) => w.category)).not.toContain('hoax');
    const theirs = (await get('/v1/sla?from=2026-01-01&to=2026-12-31', ngo)).json();
    expect(theirs.open).toBe(2);
  });
});

describe('public daily counters', () => {
  it('count the channels, groups, bots and messages actioned for terrorism each day, once per case', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/public/counters?days=3' });
    expect(response.statusCode).toBe(200);
    expect(response.json().days).toEqual([
      { day: '2027-01-01', channels: 0, groups: 1, bots: 1, messages: 1 },
      { day: '2026-12-31', channels: 2, groups: 0, bots: 0, messages: 0 },
      { day: '2026-12-30', channels: 0, groups: 0, bots: 0, messages: 0 },
    ]);
  });

  it('are an Atom feed, one entry a day', async () => {
    const response = await app.request({ method: 'GET', url: '/transparency/counters.atom?days=3' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(response.body).toMatch(/^<\?xml/);
    expect(response.body.match(/<entry>/g)).toHaveLength(3);
    expect(response.body).toContain('2026-12-31: 2 channels, 0 groups, 0 bots, 0 messages');
  });

  it('refuse a window out of range, naming the field', async () => {
    const response = await app.request({ method: 'GET', url: '/v1/public/counters?days=400' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/days');
  });
});
