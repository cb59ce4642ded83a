import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import type { Caller } from '../support/app.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type ReportWorld, seedReportWorld } from '../support/report-fixture.ts';

/**
 * Every figure of the transparency report against a hand-computed expectation, on the
 * world of test/support/report-fixture.ts (period: 2026). Five notices fall in the
 * period — N5 at its first instant and N4 at its last second; N0 and N6 fall just outside.
 *
 * Acknowledged after 2, 4, 6, 8, 10 s: median 6; p90 at rank 0.9·4 = 3.6, so 8 + 0.6·2 = 9.2.
 * Decided (net of pauses): N1 1800 s; N2 130 min less its 60-min pause = 4200 s; N3 36000 s:
 *   median 4200; p90 at rank 1.8: 4200 + 0.8·(36000 − 4200) = 29640.
 * Acted: N1 2400 s (the statement's delivery at 35 min is no action); N2 150 − 60 min = 5400 s:
 *   median 3900; p90 at rank 0.9: 2400 + 0.9·3000 = 5100.
 * Deadlines: answered N1 (40 min ≤ 1 h target ≤ 4 h legal), N2 (150 min > 1 h + 1 h pause),
 *   N3 (10 h ≤ 12 h target ≤ 24 h legal): 2 of 3 within each. N5 is past its legal deadline
 *   unanswered; N4's falls after the period ends.
 */
let app: TestApp;
let world: ReportWorld;
let lead: Caller;
let flagger: Caller;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2027-03-01T00:00:00Z');
  world = await seedReportWorld(app.ctx.db);
  lead = await app.loginAs('lead@platform.example');
  flagger = await app.loginAs('analis@komdigi.example');
});
afterAll(() => app.close());

const report = async (query: string, as: Caller = lead) =>
  app.request({ method: 'GET', url: `/v1/reports/transparency${query}`, as });

describe('the transparency report', () => {
  it('adds up every figure of the period as worked out by hand', async () => {
    const response = await report('?from=2026-01-01&to=2026-12-31');
    expect(response.statusCode).toBe(200);
    const { period, tables } = response.json();
    expect(period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(tables.notices_by_source).toEqual([
      { source_type: 'trusted_flagger', notices: 2 },
      { source_type: 'government_order', notices: 1 },
      { source_type: 'regular_notice', notices: 2 },
      { source_type: 'automated_detection', notices: 0 },
    ]);
    expect(tables.notices_by_category).toEqual([
      { category: 'terrorism', notices: 3 },
      { category: 'gambling', notices: 1 },
      { category: 'hoax', notices: 1 },
    ]);
    expect(tables.notices_by_jurisdiction).toEqual([
      { jurisdiction: 'ID', notices: 4 },
      { jurisdiction: 'DE', notices: 1 },
    ]);
    expect(tables.orders_by_authority).toEqual([
      {
        order_kind: 'mr5_order',
        issuing_authority: 'Komdigi',
        member_state: 'ID',
        orders: 1,
        median_seconds_to_acknowledge: 4,
        median_seconds_to_act: 5400,
      },
    ]);
    expect(tables.actions_by_outcome_and_ground).toEqual([
      { outcome: 'no_action', ground: 'none', decisions: 1 },
      { outcome: 'remove', ground: 'legal', decisions: 2 },
      { outcome: 'suspend', ground: 'legal', decisions: 1 },
      { outcome: 'suspend', ground: 'terms', decisions: 1 },
    ]);
    expect(tables.actions_by_automation).toEqual([
      { automated_detection: false, automated_decision: 'not', decisions: 3 },
      { automated_detection: true, automated_decision: 'not', decisions: 2 },
    ]);
    expect(tables.timing).toEqual([
      { measure: 'acknowledge', notices: 5, median_seconds: 6, p90_seconds: 9.2 },
      { measure: 'decide', notices: 3, median_seconds: 4200, p90_seconds: 29640 },
      { measure: 'act', notices: 2, median_seconds: 3900, p90_seconds: 5100 },
    ]);
    expect(tables.deadlines).toEqual([
      {
        notices: 5,
        answered: 3,
        within_legal_deadline: 2,
        within_internal_target: 2,
        share_within_legal_deadline: 0.6667,
        share_within_internal_target: 0.6667,
        open_past_legal_deadline: 1,
      },
    ]);
    expect(tables.clarifications_impossibilities_objections).toEqual([
      { kind: 'clarification_request', reason: null, count: 1 },
      { kind: 'objection', reason: null, count: 1 },
      { kind: 'impossible', reason: 'manifest_errors', count: 1 },
    ]);
    expect(tables.appeals).toEqual([
      {
        appellant_type: 'affected_user',
        lodged: 2,
        decided: 2,
        reversed: 1,
        rejected: 1,
        reversal_rate: 0.5,
        median_seconds_to_decide: 10800,
      },
      {
        appellant_type: 'notifier',
        lodged: 1,
        decided: 0,
        reversed: 0,
        rejected: 0,
        reversal_rate: null,
        median_seconds_to_decide: null,
      },
    ]);
    expect(tables.suspensions).toEqual([
      { suspended: 'accounts', count: 1 },
      { suspended: 'channels', count: 1 },
      { suspended: 'notifiers', count: 1 },
    ]);
    expect(tables.automated_detection).toEqual([
      {
        bank: '(all banks)',
        restrictive_decisions: 4,
        automated_detection: 2,
        automated_share: 0.5,
        reversed_on_appeal: 1,
        share_reversed: 0.5,
      },
    ]);
    expect(tables.trusted_flaggers).toEqual([
      {
        flagger: 'komdigi',
        name: expect.any(String),
        notices: 2,
        decided: 1,
        actioned: 1,
        share_actioned: 1,
        within_legal_deadline: 1,
        median_seconds_to_decide: 1800,
      },
    ]);
  });

  it('counts orders by their kind apart, each with its own medians (DSA Art. 15(1)(a))', async () => {
    // Three orders of 2023, copies of N2 but for their kind, place and times: two TCO removal
    // orders from Germany acknowledged after 2 and 6 s, one court order acknowledged after 10 s.
    const orders = [
      { kind: 'tco_removal_order', jurisdiction: 'DE', received: '2023-03-01T00:00:00Z', ackS: 2 },
      { kind: 'tco_removal_order', jurisdiction: 'DE', received: '2023-04-01T00:00:00Z', ackS: 6 },
      { kind: 'court_order', jurisdiction: 'ID', received: '2023-05-01T00:00:00Z', ackS: 10 },
    ];
    const template = await app.ctx.db
      .selectFrom('notices')
      .selectAll()
      .where('id', '=', world.notices.N2!)
      .executeTakeFirstOrThrow();
    for (const [i, o] of orders.entries()) {
      const id = newId();
      const received = new Date(o.received);
      await app.ctx.db
        .insertInto('notices')
        .values({
          ...template,
          id,
          order_kind: o.kind,
          jurisdiction: o.jurisdiction,
          received_at: received,
          legal_due_at: new Date(received.getTime() + 3_600_000),
          target_due_at: new Date(received.getTime() + 3_600_000),
          digest: `digest-kind-${i}`,
          receipt: `receipt-kind-${i}`,
        } as never)
        .execute();
      await app.ctx.db
        .insertInto('notice_events')
        .values({
          id: newId(),
          notice_id: id,
          org_id: template.org_id,
          type: 'notice.received',
          data: JSON.stringify({}),
          at: new Date(received.getTime() + o.ackS * 1000),
        })
        .execute();
    }
    const { tables } = (await report('?from=2023-01-01&to=2023-12-31')).json();
    expect(tables.orders_by_authority).toEqual([
      {
        order_kind: 'tco_removal_order',
        issuing_authority: 'Komdigi',
        member_state: 'DE',
        orders: 2,
        median_seconds_to_acknowledge: 4,
        median_seconds_to_act: null,
      },
      {
        order_kind: 'court_order',
        issuing_authority: 'Komdigi',
        member_state: 'ID',
        orders: 1,
        median_seconds_to_acknowledge: 10,
        median_seconds_to_act: null,
      },
    ]);
  });

  it('is empty, not wrong, for a period with nothing in it', async () => {
    const { tables } = (await report('?from=2024-01-01&to=2024-12-31')).json();
    expect(tables.notices_by_source.map((r: { notices: number }) => r.notices)).toEqual([0, 0, 0, 0]);
    expect(tables.notices_by_category).toEqual([]);
    expect(tables.timing).toEqual([
      { measure: 'acknowledge', notices: 0, median_seconds: null, p90_seconds: null },
      { measure: 'decide', notices: 0, median_seconds: null, p90_seconds: null },
      { measure: 'act', notices: 0, median_seconds: null, p90_seconds: null },
    ]);
    expect(tables.deadlines[0]).toMatchObject({ notices: 0, share_within_legal_deadline: null });
    expect(tables.appeals.map((r: { reversal_rate: null }) => r.reversal_rate)).toEqual([null, null]);
  });

  it('draws the period boundary at midnight UTC, both ends included', async () => {
    const firstDay = (await report('?from=2026-01-01&to=2026-01-01')).json().tables;
    expect(firstDay.notices_by_source[0]).toEqual({ source_type: 'trusted_flagger', notices: 1 });
    const lastDay = (await report('?from=2026-12-31&to=2026-12-31')).json().tables;
    expect(lastDay.notices_by_jurisdiction).toEqual([{ jurisdiction: 'DE', notices: 1 }]);
    const previousYear = (await report('?from=2025-12-31&to=2025-12-31')).json().tables;
    expect(previousYear.notices_by_category).toEqual([{ category: 'terrorism', notices: 1 }]);
  });

  it('covers the calendar year by default, and from’s year when only from is given', async () => {
    // The clock says 1 March 2027: the default is 2027, where only N6 falls.
    const byDefault = (await report('')).json();
    expect(byDefault.period).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(byDefault.tables.deadlines[0].notices).toBe(1);
    const rest = (await report('?from=2026-03-01')).json();
    expect(rest.period).toEqual({ from: '2026-03-01', to: '2026-12-31' });
    expect(rest.tables.deadlines[0].notices).toBe(4);
  });

  it('gives one table as CSV', async () => {
    const response = await report('?from=2026-01-01&to=2026-12-31&format=csv&table=appeals');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body.split('\n').slice(0, 2)).toEqual([
      'appellant_type,lodged,decided,reversed,rejected,reversal_rate,median_seconds_to_decide',
      'affected_user,2,2,1,1,0.5,10800',
    ]);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?from=2026-05-01&to=2026-04-01', '/to'],
      ['?from=1999-01-01', '/from'],
      ['?to=2101-01-01', '/to'],
      ['?format=pdf', '/format'],
      ['?format=csv&table=nope', '/table'],
      ['?from=yesterday', '/from'],
    ];
    for (const [query, pointer] of cases) {
      const response = await report(query);
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().errors.map((e: { pointer: string }) => e.pointer),
        query,
      ).toContain(pointer);
    }
  });

  it('is for those who may read reports', async () => {
    expect((await report('', flagger)).statusCode).toBe(403);
  });
});
