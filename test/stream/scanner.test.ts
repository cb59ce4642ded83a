import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';
import { flipBits, post, randomPdq } from './support.ts';

/**
 * The scanner: a post matching a bank opens a case from automated detection, with the match
 * as evidence; an auto_action bank acts at once with a fully automated decision, its
 * statement of reasons says so, and an upheld appeal counts against the bank's accuracy.
 */
let desk: Desk;
let platformKey: Caller;
let lead: Caller;
let reviewer: Caller;

beforeAll(async () => {
  desk = await createDesk();
  lead = await desk.app.loginAs('lead@platform.example');
  reviewer = await desk.app.loginAs('peninjau@platform.example');
  const admin = await desk.app.loginAs('admin@platform.example');
  platformKey = {
    key: (
      await desk.app.request({
        method: 'POST',
        url: '/v1/orgs/platform/keys',
        as: admin,
        payload: { name: 'feed' },
      })
    ).json().key,
  };
});
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);

async function bank(name: string, policy: 'review' | 'auto_action', hashes: string[]): Promise<string> {
  const created = await request({
    method: 'POST',
    url: '/v1/banks',
    as: lead,
    payload:
      policy === 'auto_action' ? { name, policy, auto_action: { outcome: 'remove' } } : { name, policy },
  });
  expect(created.statusCode).toBe(201);
  const added = await request({
    method: 'POST',
    url: `/v1/banks/${name}/entries`,
    as: lead,
    payload: { entries: hashes.map((value) => ({ signal_type: 'pdq', value, source: 'synthetic-test' })) },
  });
  expect(added.statusCode).toBe(201);
  return created.json().id;
}

async function scan(events: unknown[]): Promise<void> {
  const response = await request({
    method: 'POST',
    url: '/v1/content',
    as: platformKey,
    payload: events as never,
  });
  expect(response.json().refused).toBe(0);
  for (let i = 0; i < 20 && (await desk.worker.runOnce()) > 0; i++);
}

async function caseOfPost(channel: string, id: string) {
  return desk.app.ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('subject_key', '=', `telegram:message:${channel}/${id}`)
    .executeTakeFirst();
}

describe('the scanner', () => {
  it('opens a case from automated detection for a near-duplicate of a banked hash, with the match as evidence', async () => {
    const banked = randomPdq(11);
    await bank('review-bank', 'review', [banked]);
    await scan([
      post({ id: '11', channel: 'review_channel', media: [{ pdq: flipBits(banked, 9, 1) }] }),
      post({ id: '12', channel: 'review_channel', media: [{ pdq: randomPdq(12) }] }),
    ]);
    const found = await caseOfPost('review_channel', '11');
    expect(found).toMatchObject({ status: 'open', notice_count: 0 });
    expect(found!.hash_match_confidence).toBeCloseTo(1 - 9 / 32, 5);
    expect(await caseOfPost('review_channel', '12')).toBeUndefined();
    const evidence = (
      await request({ method: 'GET', url: `/v1/cases/${found!.id}/detections`, as: lead })
    ).json();
    expect(evidence.detections).toHaveLength(1);
    expect(evidence.detections[0]).toMatchObject({
      kind: 'bank',
      bank: 'review-bank',
      signal_type: 'pdq',
      distance: 9,
      via: 'scan',
    });
    expect(evidence.detections[0].provenance).toMatchObject({ source: 'synthetic-test' });
    const queue = (await request({ method: 'GET', url: '/v1/queue?limit=100', as: lead })).json();
    expect(queue.items.map((c: { case_id: string }) => c.case_id)).toContain(found!.id);
    const events = (await request({ method: 'GET', url: `/v1/cases/${found!.id}`, as: lead })).json().events;
    expect(events[0]).toMatchObject({ type: 'opened', actor_type: 'system' });
    expect(events[0].data).toMatchObject({ source: 'automated_detection' });
  });

  it('acts at once on a match in an auto_action bank, with a statement of reasons marked fully automated', async () => {
    const banked = randomPdq(21);
    const bankId = await bank('auto-bank', 'auto_action', [banked]);
    await scan([post({ id: '21', channel: 'auto_channel', media: [{ pdq: flipBits(banked, 4, 2) }] })]);
    const found = await caseOfPost('auto_channel', '21');
    // The scan's worker pass may already have delivered the action: actioning or closed.
    expect(found).toMatchObject({ outcome: 'removed' });
    expect(['actioning', 'closed']).toContain(found!.status);
    const decision = await desk.app.ctx.db
      .selectFrom('decisions')
      .selectAll()
      .where('case_id', '=', found!.id)
      .executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      automated_detection: true,
      automated_decision: true,
      automation: 'fully',
      bank_id: bankId,
      match_distance: 4,
    });
    const statement = await desk.app.ctx.db
      .selectFrom('statements')
      .select('content')
      .where('case_id', '=', found!.id)
      .executeTakeFirstOrThrow();
    expect(statement.content).toMatchObject({
      automated_detection: 'Yes',
      automated_decision: 'AUTOMATED_DECISION_FULLY',
      automated_match: { bank: 'auto-bank', distance: 4, signal_type: 'pdq' },
      source_type: 'SOURCE_VOLUNTARY',
    });
    expect(
      (statement.content as { incompatible_content_explanation: string }).incompatible_content_explanation,
    ).toMatch(/bank 'auto-bank' at distance 4/);
    await desk.drain();
    expect(desk.platform.inForce('telegram:message:auto_channel/21')).toContain('hide_message');

    // Appealable like any decision: upheld, it is reverted and counts against the bank.
    const delivery = await desk.app.ctx.db
      .selectFrom('enforcement_actions')
      .select('params')
      .where('case_id', '=', found!.id)
      .where('type', '=', 'deliver_statement')
      .executeTakeFirstOrThrow();
    const statementPath = statementApiPath((delivery.params as { statement_url: string }).statement_url);
    const appeal = await request({
      method: 'POST',
      url: `${statementPath}/appeal`,
      payload: { grounds: 'Synthetic: it is a news photo.' },
    });
    expect(appeal.statusCode).toBe(201);
    const appealId = appeal.json().appeal_id;
    expect(
      (await request({ method: 'POST', url: `/v1/appeals/${appealId}/claim`, as: reviewer })).statusCode,
    ).toBe(200);
    const upheld = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/decision`,
      as: reviewer,
      payload: { outcome: 'upheld', reasons: 'Synthetic: the match was wrong.' },
    });
    expect(upheld.statusCode).toBe(200);
    await desk.drain();
    expect(desk.platform.inForce('telegram:message:auto_channel/21')).not.toContain('hide_message');
    const banks = (await request({ method: 'GET', url: '/v1/banks', as: lead })).json().items;
    expect(banks.find((b: { name: string }) => b.name === 'auto-bank').accuracy).toEqual({
      automated_actions: 1,
      appeals_upheld: 1,
      accuracy: 0,
    });
    expect(banks.find((b: { name: string }) => b.name === 'review-bank').accuracy.automated_actions).toBe(0);
  });

  it('marks a person’s decision on an automated detection as partially automated', async () => {
    const banked = randomPdq(31);
    await bank('partial-bank', 'review', [banked]);
    await scan([post({ id: '31', channel: 'partial_channel', media: [{ pdq: banked }] })]);
    const found = await caseOfPost('partial_channel', '31');
    expect(
      (await request({ method: 'POST', url: `/v1/cases/${found!.id}/claim`, as: reviewer })).statusCode,
    ).toBe(200);
    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${found!.id}/decisions`,
      as: reviewer,
      payload: {
        outcome: 'remove',
        grounds: {
          incompatible: { ground: 'Terms of service 4.2', explanation: 'Synthetic: confirmed propaganda.' },
        },
      },
    });
    expect(decided.statusCode).toBe(201);
    const statement = await desk.app.ctx.db
      .selectFrom('statements')
      .select('content')
      .where('case_id', '=', found!.id)
      .executeTakeFirstOrThrow();
    expect(statement.content).toMatchObject({
      automated_detection: 'Yes',
      automated_decision: 'AUTOMATED_DECISION_PARTIALLY',
      automated_match: { bank: 'partial-bank', distance: 0 },
    });
    const decision = await desk.app.ctx.db
      .selectFrom('decisions')
      .select('automation')
      .where('case_id', '=', found!.id)
      .executeTakeFirstOrThrow();
    expect(decision.automation).toBe('partially');
  });

  it('opens a case for review when the lexicon is sure enough, and never acts on it alone', async () => {
    await scan([
      post({ id: '41', channel: 'lexicon_channel', text: 'Synthetic test: Amaq News Agency says hello' }),
    ]);
    const found = await caseOfPost('lexicon_channel', '41');
    expect(found).toMatchObject({ status: 'open' });
    const evidence = (
      await request({ method: 'GET', url: `/v1/cases/${found!.id}/detections`, as: lead })
    ).json();
    expect(evidence.detections[0]).toMatchObject({ kind: 'lexicon' });
  });

  it('makes a channel whose posts keep matching a channel-level case, with its matched posts as evidence', async () => {
    const banked = randomPdq(51);
    await bank('channel-bank', 'review', [banked]);
    const events = Array.from({ length: 5 }, (_, i) =>
      post({ id: String(51 + i), channel: 'repeat_channel', media: [{ pdq: flipBits(banked, i + 1, i) }] }),
    );
    await scan(events.slice(0, 4));
    expect(
      await desk.app.ctx.db
        .selectFrom('cases')
        .select('id')
        .where('subject_key', '=', 'telegram:username:repeat_channel')
        .executeTakeFirst(),
    ).toBeUndefined();
    await scan(events.slice(4));
    const channelCase = await desk.app.ctx.db
      .selectFrom('cases')
      .selectAll()
      .where('subject_key', '=', 'telegram:username:repeat_channel')
      .executeTakeFirstOrThrow();
    const evidence = (
      await request({ method: 'GET', url: `/v1/cases/${channelCase.id}/detections`, as: lead })
    ).json();
    expect(evidence.channel_level).toEqual({ platform: 'telegram', channel: 'repeat_channel' });
    expect(new Set(evidence.detections.map((d: { post_id: string }) => d.post_id)).size).toBe(5);
  });

  it('shows where a reposted item came from and every channel that reposted it, with times', async () => {
    const banked = randomPdq(61);
    await bank('graph-bank', 'review', [banked]);
    await scan([
      post({
        id: '61',
        channel: 'origin_channel',
        media: [{ pdq: banked }],
        posted_at: '2026-11-28T06:00:00.000Z',
      }),
      post({
        id: '62',
        channel: 'copy_channel_a',
        media: [{ pdq: banked }],
        forwarded_from: { channel: 'origin_channel', id: '61' },
        posted_at: '2026-11-28T06:10:00.000Z',
      }),
      post({
        id: '63',
        channel: 'copy_channel_b',
        media: [{ pdq: flipBits(banked, 6, 3) }],
        posted_at: '2026-11-28T06:20:00.000Z',
      }),
    ]);
    const found = await caseOfPost('copy_channel_a', '62');
    const graph = (
      await request({ method: 'GET', url: `/v1/cases/${found!.id}/detections`, as: lead })
    ).json();
    expect(graph.origin).toMatchObject({ channel: 'origin_channel', posted_at: '2026-11-28T06:00:00.000Z' });
    expect(graph.reposts.map((p: { channel: string }) => p.channel)).toEqual([
      'copy_channel_a',
      'copy_channel_b',
    ]);
    expect(graph.reposts[0].forwarded_from).toEqual({ channel: 'origin_channel', id: 'origin_channel/61' });
  });
});
