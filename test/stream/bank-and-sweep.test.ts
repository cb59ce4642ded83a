import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { flipBits, post, randomPdq } from './support.ts';

/**
 * Bank and sweep: an item already posted and reposted a thousand times (exact copies and
 * PDQ near-duplicates with up to 20 bits flipped) is decided on a notice; one call banks its
 * hashes and the sweep finds every repost, acting or queueing under the bank's policy.
 */
let desk: Desk;
let platformKey: Caller;
let lead: Caller;
let analyst: Caller;
let reviewer: Caller;

beforeAll(async () => {
  desk = await createDesk();
  lead = await desk.app.loginAs('lead@platform.example');
  analyst = await desk.app.loginAs('analis@komdigi.example');
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

async function ingest(events: unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const response = await request({
      method: 'POST',
      url: '/v1/content',
      as: platformKey,
      payload: events.slice(i, i + 1000) as never,
    });
    expect(response.json().refused).toBe(0);
  }
  for (let i = 0; i < 50 && (await desk.worker.runOnce()) > 0; i++);
}

/** The original and its reposts: half exact copies, half with 1–20 bits flipped, each in a channel of its own. */
function reposts(prefix: string, original: string, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    post({
      id: String(i + 1),
      channel: `${prefix}_copy_${i}`,
      text: null,
      media: [{ pdq: i % 2 === 0 ? original : flipBits(original, 1 + (i % 20), i) }],
      posted_at: new Date(Date.parse('2026-11-28T07:00:00Z') + i * 1000).toISOString(),
    }),
  );
}

async function decideOnNotice(channel: string): Promise<string> {
  const receipt = await desk.submit(analyst, {
    targets: [`https://t.me/${channel}/1`],
    category: 'terrorism',
    explanation: 'Synthetic test notice: the post is propaganda of a designated group.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer })).statusCode).toBe(
    200,
  );
  const decided = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: reviewer,
    payload: {
      outcome: 'remove',
      grounds: { illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Synthetic: propaganda.' } },
    },
  });
  expect(decided.statusCode).toBe(201);
  return decided.json().decision_id;
}

describe('bank and sweep', () => {
  it('queues all 1,000 reposts for review under a review bank', async () => {
    const original = randomPdq(777);
    await ingest([
      post({ id: '1', channel: 'review_origin', text: null, media: [{ pdq: original }] }),
      ...reposts('review', original, 1000),
    ]);
    const decisionId = await decideOnNotice('review_origin');
    await request({
      method: 'POST',
      url: '/v1/banks',
      as: lead,
      payload: { name: 'sweep-review', policy: 'review' },
    });
    const banked = await request({
      method: 'POST',
      url: `/v1/decisions/${decisionId}/bank`,
      as: lead,
      payload: { bank: 'sweep-review' },
    });
    expect(banked.json(), banked.body).toMatchObject({
      sweep: { checked: 1, matched: 1001, cases: 1000, actions: 0 },
    });
    const open = await desk.app.ctx.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subject_key', 'like', 'telegram:message:review_copy_%')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(Number(open.n)).toBe(1000);
  }, 240_000);

  it('refuses to bank a decision that restricted nothing', async () => {
    const receipt = await desk.submit(analyst, {
      targets: ['https://t.me/no_action_channel/5'],
      category: 'terrorism',
      explanation: 'Synthetic test notice.',
      good_faith: true,
    });
    const caseId = receipt.targets[0]!.case_id;
    await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer });
    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: reviewer,
      payload: { outcome: 'no_action' },
    });
    const refused = await request({
      method: 'POST',
      url: `/v1/decisions/${decided.json().decision_id}/bank`,
      as: lead,
      payload: { bank: 'sweep-review' },
    });
    expect(refused.statusCode).toBe(409);
  });

  // Last: it leaves 1,000 enforcement jobs queued, which would hold up the tests after it.
  // All 1,000 reposts acted on: each is a full decision (statement, preservation, enforcement
  // jobs), so the sweep's automated decisions are the bulk of this file's time. Their delivery
  // to the platform is the enforcement worker's (the scanner test follows one to the
  // platform); here every one of the 1,000 is checked to have its enforcement job queued.
  it('banks a decided item and acts on every earlier repost under an auto_action bank', async () => {
    const original = randomPdq(4242);
    await ingest([
      post({ id: '1', channel: 'auto_origin', text: null, media: [{ pdq: original }] }),
      ...reposts('auto', original, 1000),
    ]);
    const decisionId = await decideOnNotice('auto_origin');
    expect(
      (
        await request({
          method: 'POST',
          url: '/v1/banks',
          as: lead,
          payload: { name: 'sweep-auto', policy: 'auto_action', auto_action: { outcome: 'remove' } },
        })
      ).statusCode,
    ).toBe(201);
    const banked = await request({
      method: 'POST',
      url: `/v1/decisions/${decisionId}/bank`,
      as: lead,
      payload: { bank: 'sweep-auto' },
    });
    expect(banked.statusCode).toBe(200);
    // The original is already actioned (it joins its case as evidence); the 1,000 reposts are acted on.
    expect(banked.json()).toMatchObject({
      bank: 'sweep-auto',
      added: 1,
      sweep: { checked: 1, matched: 1001, cases: 1000, actions: 1000 },
    });
    const automated = await desk.app.ctx.db
      .selectFrom('decisions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('automation', '=', 'fully')
      .executeTakeFirstOrThrow();
    expect(Number(automated.n)).toBe(1000);
    const queued = await desk.app.ctx.db
      .selectFrom('enforcement_actions')
      .innerJoin('decisions', 'decisions.id', 'enforcement_actions.decision_id')
      .innerJoin('cases', 'cases.id', 'decisions.case_id')
      .select(['cases.subject_key', 'enforcement_actions.type'])
      .where('decisions.automation', '=', 'fully')
      .where('enforcement_actions.type', '<>', 'deliver_statement')
      .execute();
    const subjects = new Set(queued.map((q) => q.subject_key));
    expect(subjects.size).toBe(1000);
    for (const i of [0, 1, 499, 998, 999])
      expect(subjects.has(`telegram:message:auto_copy_${i}/${i + 1}`)).toBe(true);
    expect(queued.every((q) => q.type === 'hide_message')).toBe(true);
    const entry = await desk.app.ctx.db
      .selectFrom('bank_entries')
      .select(['case_id', 'source'])
      .executeTakeFirstOrThrow();
    expect(entry.source).toBe('decision');
    // A second sweep finds them all again and does nothing twice.
    const again = await request({
      method: 'POST',
      url: '/v1/sweeps',
      as: lead,
      payload: { bank: 'sweep-auto' },
    });
    expect(again.json()).toEqual({ checked: 1, matched: 0, cases: 0, actions: 0 });
  }, 600_000);
});
