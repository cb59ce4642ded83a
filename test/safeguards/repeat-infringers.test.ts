import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';

/**
 * Repeat infringers (DSA Art. 23(1),(3); issue 14 §5): upheld restrictions are strikes per
 * channel; the SOP policy's thresholds warn first, then suspend for its period, each through
 * the decision and connector machinery; the case view shows the count; an overturned
 * decision's strike stops counting.
 */
// Whole flows through the API, each many requests: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
let desk: Desk;
let analyst: Caller;
let peninjau: Caller;
let pengulas: Caller;
let admin: Caller;

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
  admin = await desk.app.loginAs('admin@platform.example');
  const created = await request({
    method: 'POST',
    url: '/v1/users',
    as: admin,
    payload: {
      org: 'platform',
      email: 'pengulas@platform.example',
      display_name: 'Dewi Pengulas',
      roles: ['reviewer'],
      languages: ['id'],
      jurisdictions: ['ID'],
      password: 'tapis-demo-2026',
    },
  });
  expect(created.statusCode).toBe(201);
  pengulas = await desk.app.loginAs('pengulas@platform.example');
});
afterAll(() => desk.close());

async function removed(target: string) {
  const receipt = await desk.submit(analyst, {
    targets: [target],
    category: 'terrorism',
    explanation: 'Synthetic test notice for repeat infringers.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode).toBe(
    200,
  );
  const response = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: peninjau,
    payload: { outcome: 'remove', grounds },
  });
  expect(response.statusCode, response.body).toBe(201);
  await desk.drain();
  return { caseId, ...response.json() };
}

let lastCaseId = '';
let lastStatementUrl = '';

async function appealUpheld(statementUrl: string): Promise<string> {
  const appeal = await request({
    method: 'POST',
    url: `${statementApiPath(statementUrl)}/appeal`,
    payload: { grounds: 'Synthetic appeal: this is news reporting.' },
  });
  expect(appeal.statusCode, appeal.body).toBe(201);
  const appealId = appeal.json().appeal_id ?? appeal.json().id;
  expect(
    (await request({ method: 'POST', url: `/v1/appeals/${appealId}/claim`, as: pengulas })).statusCode,
  ).toBe(200);
  const upheld = await request({
    method: 'POST',
    url: `/v1/appeals/${appealId}/decision`,
    as: pengulas,
    payload: { outcome: 'upheld', reasons: 'Synthetic: reporting, not propaganda.' },
  });
  expect(upheld.statusCode, upheld.body).toBe(200);
  return appealId;
}

const channelStrikes = async (caseId: string) => {
  const file = (await request({ method: 'GET', url: `/v1/cases/${caseId}`, as: peninjau })).json();
  return file.strikes.find((s: { key_kind: string }) => s.key_kind === 'channel');
};

describe('a repeat infringer', () => {
  it('is warned at the policy’s first threshold and suspended at the next, through the connector', async () => {
    const first = await removed('https://t.me/serialposter/1');
    expect(first.strikes).toEqual([
      expect.objectContaining({ key: 'telegram:username:serialposter', strikes: 1, measure: 'none' }),
    ]);
    const second = await removed('https://t.me/serialposter/2');
    expect(second.strikes[0]).toMatchObject({ strikes: 2, measure: 'warning' });
    expect(desk.platform.effects.filter((e) => e.type === 'deliver_warning')).toEqual([
      expect.objectContaining({ key: 'telegram:username:serialposter', operation: 'apply' }),
    ]);
    expect(await channelStrikes(second.caseId)).toMatchObject({
      active: 2,
      warning_at: 2,
      suspension_at: 3,
      last_warning_at: expect.any(String),
      suspended_until: null,
    });

    const third = await removed('https://t.me/serialposter/3');
    lastCaseId = third.caseId;
    lastStatementUrl = third.statement_url;
    expect(third.strikes[0]).toMatchObject({ strikes: 3, measure: 'suspension' });
    expect(desk.platform.inForce('telegram:username:serialposter')).toContain('suspend_channel');
    const view = await channelStrikes(third.caseId);
    expect(view.active).toBe(3);
    expect(new Date(view.suspended_until).getTime() - desk.app.clock().getTime()).toBeGreaterThan(
      29 * 86_400_000,
    );

    // The suspension is a decision with its statement of reasons (account/provision restriction, end date).
    const file = (await request({ method: 'GET', url: `/v1/cases/${third.caseId}`, as: peninjau })).json();
    const suspension = file.decisions.find((d: { outcome: string }) => d.outcome === 'suspend');
    expect(suspension).toMatchObject({ automated_decision: true, suspension: { target: 'channel' } });
    const statement = await desk.app.ctx.db
      .selectFrom('statements')
      .select('content')
      .where('decision_id', '=', suspension.id)
      .executeTakeFirstOrThrow();
    expect(statement.content).toMatchObject({
      decision_provision: 'DECISION_PROVISION_PARTIAL_SUSPENSION',
      end_date_service_restriction: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
      territories: ['ID'],
    });
    const audit = await request({
      method: 'GET',
      url: '/v1/audit?action=repeat_infringer.suspended',
      as: admin,
    });
    expect(audit.json().items).toHaveLength(1);
    expect(audit.json().items[0].change).toMatchObject({
      strikes: 3,
      reasons: expect.stringContaining('warning'),
    });
  });

  it('has the suspension lifted when the appeal overturns the decision that called for it', async () => {
    const third = (await channelStrikes(lastCaseId)) as { active: number };
    expect(third.active).toBe(3);
    const appealId = await appealUpheld(lastStatementUrl);
    expect(appealId).toEqual(expect.any(String));
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:serialposter')).not.toContain('suspend_channel');
    expect(await channelStrikes(lastCaseId)).toMatchObject({ active: 2, suspended_until: null });
    const lifted = await request({
      method: 'GET',
      url: '/v1/audit?action=repeat_infringer.suspension_lifted',
      as: admin,
    });
    expect(lifted.json().items).toHaveLength(1);
  });

  it('loses the strike of a decision an appeal overturns', async () => {
    const decided = await removed('https://t.me/onceposter/1');
    expect(await channelStrikes(decided.caseId)).toMatchObject({ active: 1 });
    const appeal = await request({
      method: 'POST',
      url: `${statementApiPath(decided.statement_url)}/appeal`,
      payload: { grounds: 'Synthetic appeal: this is news reporting.' },
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const appealId = appeal.json().appeal_id ?? appeal.json().id;
    expect(
      (await request({ method: 'POST', url: `/v1/appeals/${appealId}/claim`, as: pengulas })).statusCode,
    ).toBe(200);
    const upheld = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/decision`,
      as: pengulas,
      payload: { outcome: 'upheld', reasons: 'Synthetic: reporting, not propaganda.' },
    });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect(await channelStrikes(decided.caseId)).toMatchObject({ active: 0 });
  });

  it('refuses a policy whose suspension does not come after the warning', async () => {
    const current = (await request({ method: 'GET', url: '/v1/policy', as: admin })).json();
    const response = await request({
      method: 'PUT',
      url: '/v1/policy',
      as: admin,
      payload: {
        note: 'Synthetic: a suspension before the warning.',
        document: {
          ...current.document,
          repeat_infringers: { window_days: 30, warning_at: 3, suspension_at: 2, suspension_days: 7 },
        },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(response.json())).toContain('suspension_at');
  });
});
