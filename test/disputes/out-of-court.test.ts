import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { insertStatement } from '../support/statements.ts';

/**
 * DSA Art. 21 and 24(1)(a): disputes brought to certified out-of-court bodies are recorded
 * against their decision, with the body, the dates and the outcome, and the transparency
 * report counts them: how many, their outcomes, the median time to complete, and the share of
 * the bodies' decisions against the platform that it implemented.
 */
let app: TestApp;
let lead: Caller;
let reviewer: Caller;
let auditor: Caller;
const decisions: string[] = [];

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + days * DAY).toISOString();

beforeAll(async () => {
  app = await createTestApp();
  [lead, reviewer, auditor] = await Promise.all([
    app.loginAs('lead@platform.example'),
    app.loginAs('peninjau@platform.example'),
    app.loginAs('auditor@platform.example'),
  ]);
  for (let i = 0; i < 3; i++)
    decisions.push((await insertStatement(app.ctx.db, { at: new Date('2026-05-20T00:00:00Z') })).decisionId);
});
afterAll(() => app?.close());

const record = (body: unknown, as: Caller = lead) =>
  app.request({ method: 'POST', url: '/v1/out-of-court-disputes', as, payload: body as object });
const update = (id: string, body: unknown) =>
  app.request({ method: 'PATCH', url: `/v1/out-of-court-disputes/${id}`, as: lead, payload: body as object });

const dispute = (i: number, overrides: Record<string, unknown> = {}) => ({
  decision_id: decisions[i],
  body_name: 'Synthetic Dispute Settlement Body',
  body_certified_by: 'Synthetic Digital Services Coordinator',
  brought_by: 'affected_user',
  reference: `ODS-${i}`,
  submitted_at: at(0),
  ...overrides,
});

describe('out-of-court disputes', () => {
  it('are recorded against a decision, updated with the outcome, and counted in the transparency report', async () => {
    const first = await record(dispute(0));
    expect(first.statusCode, first.body).toBe(201);
    const second = await record(dispute(1, { submitted_at: at(2) }));
    const third = await record(dispute(2, { brought_by: 'notifier' }));
    expect([second.statusCode, third.statusCode]).toEqual([201, 201]);

    // The body overturns the first after 10 days, and the platform implements it; it upholds the second after 20.
    const overturned = await update(first.json().id, { outcome: 'decision_overturned', decided_at: at(10) });
    expect(overturned.statusCode, overturned.body).toBe(200);
    expect((await update(first.json().id, { implemented_at: at(11) })).json().implemented_at).toBe(at(11));
    expect(
      (await update(second.json().id, { outcome: 'decision_upheld', decided_at: at(22) })).statusCode,
    ).toBe(200);

    const listed = await app.request({
      method: 'GET',
      url: `/v1/out-of-court-disputes?decision_id=${decisions[0]}`,
      as: auditor,
    });
    expect(listed.json().items).toMatchObject([
      { outcome: 'decision_overturned', body_name: 'Synthetic Dispute Settlement Body' },
    ]);

    const report = await app.request({
      method: 'GET',
      url: '/v1/reports/transparency?from=2026-01-01&to=2026-12-31',
      as: auditor,
    });
    expect(report.statusCode).toBe(200);
    expect(report.json().tables.out_of_court_disputes).toEqual([
      {
        brought_by: 'affected_user',
        submitted: 2,
        decided: 2,
        decision_upheld: 1,
        decision_overturned_or_changed: 1,
        settled: 0,
        withdrawn_or_refused: 0,
        median_seconds_to_complete: 15 * 86_400,
        implemented_share: 1,
      },
      {
        brought_by: 'notifier',
        submitted: 1,
        decided: 0,
        decision_upheld: 0,
        decision_overturned_or_changed: 0,
        settled: 0,
        withdrawn_or_refused: 0,
        median_seconds_to_complete: null,
        implemented_share: null,
      },
    ]);
    const csv = await app.request({
      method: 'GET',
      url: '/v1/reports/transparency?from=2026-01-01&to=2026-12-31&format=csv&table=out_of_court_disputes',
      as: auditor,
    });
    expect(csv.body.split('\n')[0]).toContain('brought_by');
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'dispute.%')
      .execute();
    expect(audit).toHaveLength(6);
  });

  it('refuse impossible dates and outcomes, unknown decisions, other roles and bad input with a problem', async () => {
    expect((await record(dispute(0), reviewer)).statusCode).toBe(403);
    expect(
      (await record(dispute(0, { decision_id: '00000000-0000-4000-8000-000000000000' }))).statusCode,
    ).toBe(404);
    const future = await record(dispute(0, { submitted_at: '2030-01-01T00:00:00Z' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].pointer).toBe('/submitted_at');
    const created = (await record(dispute(0, { brought_by: 'notifier' }))).json();
    const early = await update(created.id, { outcome: 'settled', decided_at: at(-5) });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0].pointer).toBe('/decided_at');
    const noDate = await update(created.id, { outcome: 'settled' });
    expect(noDate.json().errors[0].pointer).toBe('/decided_at');
    const upheld = await update(created.id, { outcome: 'decision_upheld', decided_at: at(3) });
    expect(upheld.statusCode).toBe(200);
    const implemented = await update(created.id, { implemented_at: at(4) });
    expect(implemented.statusCode).toBe(400);
    expect(implemented.json().errors[0].pointer).toBe('/implemented_at');
    for (const body of [
      dispute(0, { brought_by: 'platform' }),
      dispute(0, { body_name: 'x'.repeat(301) }),
      dispute(0, { body_name: '  ' }),
      dispute(0, { extra: true }),
      dispute(0, { submitted_at: 'yesterday' }),
      dispute(0, { reference: 'ODS\u0000\u202e' }),
    ]) {
      const response = await record(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await update(created.id, { outcome: 'won' })).statusCode).toBe(400);
    expect((await update('not-a-uuid', { outcome: 'settled' })).statusCode).toBe(400);
    expect(
      (await update('00000000-0000-4000-8000-000000000000', { outcome: 'settled', decided_at: at(3) }))
        .statusCode,
    ).toBe(404);
    const malformed = await app.request({
      method: 'POST',
      url: '/v1/out-of-court-disputes',
      as: lead,
      headers: { 'content-type': 'application/json' },
      payload: '{"decision_id":',
    });
    expect(malformed.statusCode).toBe(400);
  });
});
