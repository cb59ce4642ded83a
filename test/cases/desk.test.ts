import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';

let desk: Desk;
let analyst: Caller;
let ngo: Caller;
let peninjau: Caller;
let reviewer: Caller;
let lead: Caller;

const MIN = 60_000;
const notice = (target: string, category = 'terrorism') => ({
  targets: [target],
  category,
  explanation: 'Synthetic test notice for the review desk.',
  good_faith: true,
});
const removeDecision = {
  outcome: 'remove',
  grounds: {
    illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic: propaganda of a designated group.' },
  },
};

beforeAll(async () => {
  desk = await createDesk();
  analyst = await desk.app.loginAs('analis@komdigi.example');
  ngo = await desk.app.loginAs('analyst@ngo.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  reviewer = await desk.app.loginAs('reviewer@platform.example');
  lead = await desk.app.loginAs('lead@platform.example');
});
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);
const queue = async (as: Caller, query = '') =>
  (await request({ method: 'GET', url: `/v1/queue?limit=500${query}`, as })).json().items as {
    case_id: string;
    due_at: string | null;
    trusted: boolean;
  }[];
const claim = (id: string, as: Caller) => request({ method: 'POST', url: `/v1/cases/${id}/claim`, as });
const decide = (id: string, as: Caller, body: Record<string, unknown>) =>
  request({ method: 'POST', url: `/v1/cases/${id}/decisions`, as, payload: body });
const caseFile = async (id: string) =>
  (await request({ method: 'GET', url: `/v1/cases/${id}`, as: lead })).json();

describe('the queue', () => {
  it('puts the case due first first, and the trusted flagger before the regular one when due together', async () => {
    const regular = await desk.submit(ngo, notice('@queue_regular', 'gambling'));
    const trusted = await desk.submit(analyst, notice('@queue_trusted'));
    const items = await queue(peninjau);
    const order = items.map((i) => i.case_id);
    // The trusted terrorism notice is due in 1 h (internal target); the gambling one in 24 h.
    expect(order.indexOf(trusted.targets[0]!.case_id)).toBeLessThan(
      order.indexOf(regular.targets[0]!.case_id),
    );
    const dues = items.map((i) => (i.due_at ? new Date(i.due_at).getTime() : Number.POSITIVE_INFINITY));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
  });

  it('routes a case in Indonesia to reviewers who list ID and speak Indonesian', async () => {
    const { targets } = await desk.submit(analyst, notice('@routing_channel'));
    expect((await queue(peninjau)).map((i) => i.case_id)).toContain(targets[0]!.case_id);
    expect((await queue(reviewer)).map((i) => i.case_id)).not.toContain(targets[0]!.case_id);
    expect((await claim(targets[0]!.case_id, reviewer)).statusCode).toBe(403);
    expect((await queue(lead)).map((i) => i.case_id)).toContain(targets[0]!.case_id);
  });

  it('filters by category and source, keeping what matches and dropping what does not', async () => {
    const gambling = (await desk.submit(ngo, notice('@filter_regular_gambling', 'gambling'))).targets[0]!
      .case_id;
    const terrorism = (await desk.submit(analyst, notice('@filter_trusted_terrorism'))).targets[0]!.case_id;
    const byCategory = (await queue(peninjau, '&category=gambling')).map((i) => i.case_id);
    expect(byCategory).toContain(gambling);
    expect(byCategory).not.toContain(terrorism);
    const trustedOnly = await queue(peninjau, '&source=trusted_flagger');
    expect(trustedOnly.map((i) => i.case_id)).toContain(terrorism);
    expect(trustedOnly.map((i) => i.case_id)).not.toContain(gambling);
    expect(trustedOnly.length).toBeGreaterThan(0);
    expect(trustedOnly.every((i) => i.trusted)).toBe(true);
  });
});

describe('leases', () => {
  // Ten users made and logged in (password hashing) before the race: slow on a loaded machine.
  it('ten reviewers claiming one case at once: exactly one wins', { timeout: 120_000 }, async () => {
    const { targets } = await desk.submit(analyst, notice('@contested_case'));
    const caseId = targets[0]!.case_id;
    const reviewers: Caller[] = [];
    for (let i = 0; i < 10; i++) {
      const created = await request({
        method: 'POST',
        url: '/v1/users',
        as: await desk.app.loginAs('admin@platform.example'),
        payload: {
          org: 'platform',
          email: `claimer${i}@platform.example`,
          display_name: `Claimer ${i}`,
          roles: ['reviewer'],
          languages: ['id'],
          jurisdictions: ['ID'],
          password: 'tapis-demo-2026',
        },
      });
      expect(created.statusCode).toBe(201);
      reviewers.push(await desk.app.loginAs(`claimer${i}@platform.example`));
    }
    const results = await Promise.all(reviewers.map((r) => claim(caseId, r)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(9);
    const claimed = (await caseFile(caseId)).events.filter((e: { type: string }) => e.type === 'claimed');
    expect(claimed).toHaveLength(1);
  });

  it('run out after five minutes, and a lead can reassign', async () => {
    const { targets } = await desk.submit(analyst, notice('@lease_case'));
    const caseId = targets[0]!.case_id;
    expect((await claim(caseId, peninjau)).statusCode).toBe(200);
    expect((await claim(caseId, lead)).statusCode).toBe(409);
    desk.app.clock.advance(5 * MIN + 1000);
    expect((await claim(caseId, lead)).statusCode).toBe(200);
    const me = (await request({ method: 'GET', url: '/v1/me', as: peninjau })).json();
    const assigned = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/assign`,
      as: lead,
      payload: { reviewer_id: me.id },
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().assigned_to).toBe(me.id);
    expect(
      (
        await request({
          method: 'POST',
          url: `/v1/cases/${caseId}/assign`,
          as: peninjau,
          payload: { reviewer_id: me.id },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('a decision needs the lease', async () => {
    const { targets } = await desk.submit(analyst, notice('@unclaimed_case'));
    const response = await decide(targets[0]!.case_id, peninjau, removeDecision);
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/claim the case first/);
  });
});

describe('decisions', () => {
  it('refuse a restrictive outcome without grounds, and keep the two kinds of ground apart', async () => {
    const { targets } = await desk.submit(analyst, notice('@grounds_case'));
    await claim(targets[0]!.case_id, peninjau);
    const response = await decide(targets[0]!.case_id, peninjau, { outcome: 'remove' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/grounds');
    const mixed = await decide(targets[0]!.case_id, peninjau, {
      outcome: 'remove',
      grounds: { illegal: { legal_ground: 'x', explanation: 'y', clause: 'z' } },
    });
    expect(mixed.statusCode).toBe(400);
  });

  it('warn before an action that cannot be undone, and record that it was acknowledged', async () => {
    desk.bot.addChat({ id: -1001111, username: 'irreversible_group', messages: [42] });
    const { targets } = await desk.submit(analyst, notice('https://t.me/irreversible_group/42'));
    const caseId = targets[0]!.case_id;
    await claim(caseId, peninjau);
    const body = { ...removeDecision, actions: [{ type: 'remove_message', connector: 'telegram_bot' }] };
    const preview = (
      await request({
        method: 'POST',
        url: `/v1/cases/${caseId}/decisions/preview`,
        as: peninjau,
        payload: body,
      })
    ).json();
    expect(preview.irreversible).toHaveLength(1);
    expect(preview.warnings[0]).toMatch(/cannot be undone/);
    const refused = await decide(caseId, peninjau, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().irreversible_actions[0]).toMatchObject({
      type: 'remove_message',
      connector: 'telegram_bot',
    });
    const decided = await decide(caseId, peninjau, { ...body, acknowledge_irreversible: true });
    expect(decided.statusCode).toBe(201);
    await desk.drain();
    expect(desk.bot.chat(-1001111).messages.has(42)).toBe(false);
    const statement = (
      await request({ method: 'GET', url: statementApiPath(decided.json().statement_url) })
    ).json().statement;
    expect(statement.irreversible_actions[0].type).toBe('remove_message');
    expect((await caseFile(caseId)).status).toBe('closed');
  });

  it('a permanent suspension waits for a second reviewer', async () => {
    const { targets } = await desk.submit(analyst, notice('@suspend_me_channel'));
    const caseId = targets[0]!.case_id;
    await claim(caseId, peninjau);
    const decided = await decide(caseId, peninjau, {
      ...removeDecision,
      outcome: 'suspend',
      suspension: { target: 'channel', permanent: true },
    });
    expect(decided.json()).toMatchObject({ status: 'pending_approval', case_status: 'pending_approval' });
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:suspend_me_channel')).toEqual([]);
    const decisionId = decided.json().decision_id;
    expect(
      (await request({ method: 'POST', url: `/v1/decisions/${decisionId}/approve`, as: peninjau }))
        .statusCode,
    ).toBe(403);
    const approved = await request({ method: 'POST', url: `/v1/decisions/${decisionId}/approve`, as: lead });
    expect(approved.statusCode).toBe(200);
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:suspend_me_channel').sort()).toEqual([
      'deliver_statement',
      'suspend_channel',
    ]);
    const events = (await caseFile(caseId)).events.map((e: { type: string }) => e.type);
    expect(events).toEqual(['opened', 'claimed', 'decided', 'approved', 'action_applied', 'action_applied']);
  });

  it('asking for clarification pauses the notices and parks the case until the answer', async () => {
    const { notice_id, targets } = await desk.submit(analyst, notice('@unclear_channel'));
    const caseId = targets[0]!.case_id;
    await claim(caseId, peninjau);
    const asked = await decide(caseId, peninjau, {
      outcome: 'request_clarification',
      question: 'Which post exactly?',
    });
    expect(asked.json().case_status).toBe('awaiting_clarification');
    expect((await queue(peninjau)).map((i) => i.case_id)).not.toContain(caseId);
    await request({
      method: 'POST',
      url: `/v1/notices/${notice_id}/clarification`,
      as: analyst,
      payload: { answer: 'Post 7.' },
    });
    expect((await caseFile(caseId)).status).toBe('open');
    expect((await queue(peninjau)).map((i) => i.case_id)).toContain(caseId);
  });

  it('templates exist per category in Indonesian and English', async () => {
    const id = (
      await request({
        method: 'GET',
        url: '/v1/decision-templates?category=terrorism&language=id',
        as: peninjau,
      })
    ).json().items;
    expect(id[0].grounds.illegal.legal_ground).toMatch(/UU No\. 5 Tahun 2018/);
    const en = (
      await request({
        method: 'GET',
        url: '/v1/decision-templates?category=terrorism&language=en',
        as: peninjau,
      })
    ).json().items;
    expect(en[0].grounds.illegal.legal_ground).toMatch(/Law No\. 5 of 2018/);
  });
});
