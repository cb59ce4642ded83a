import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredContentHashes } from '../../src/scanning/retention.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { flipBits, post, randomPdq } from './support.ts';

/**
 * What happens to a scanned post after it is scanned: the content index forgets its hashes
 * after TAPIS_CONTENT_RETENTION_DAYS (90 by default), a post_deleted event removes them at
 * once and a post_edited event replaces them, so a sweep finds only what is there now; and a
 * crisis incident that reaches its expiry without being closed stops applying by itself.
 * The clock is the test clock throughout.
 */
const DAY = 86_400_000;
let desk: Desk;
let platformKey: Caller;
let lead: Caller;

beforeAll(async () => {
  desk = await createDesk();
  lead = await desk.app.loginAs('lead@platform.example');
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

/** Moves the test clock, and signs the lead in again (a session does not outlive months). */
async function advance(ms: number): Promise<void> {
  desk.app.clock.advance(ms);
  lead = await desk.app.loginAs('lead@platform.example');
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

async function bankWith(name: string, hashes: string[]): Promise<void> {
  expect(
    (await request({ method: 'POST', url: '/v1/banks', as: lead, payload: { name, policy: 'review' } }))
      .statusCode,
  ).toBe(201);
  const added = await request({
    method: 'POST',
    url: `/v1/banks/${name}/entries`,
    as: lead,
    payload: { entries: hashes.map((value) => ({ signal_type: 'pdq', value })) },
  });
  expect(added.statusCode).toBe(201);
}

async function sweep(bank: string) {
  const response = await request({ method: 'POST', url: '/v1/sweeps', as: lead, payload: { bank } });
  expect(response.statusCode).toBe(200);
  return response.json() as { checked: number; matched: number; cases: number; actions: number };
}

const hashesOf = async (postId: string) =>
  (
    await desk.app.ctx.db
      .selectFrom('content_hashes')
      .select(['signal_type', 'value', 'expires_at'])
      .where('post_id', '=', postId)
      .execute()
  ).filter((h) => h.signal_type === 'pdq');

const caseOf = (channel: string, id: string) =>
  desk.app.ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('subject_key', '=', `telegram:message:${channel}/${id}`)
    .executeTakeFirst();

describe('the content index over time', () => {
  it('forgets a post’s hashes once its retention has passed, and a later sweep no longer finds it', async () => {
    const old = randomPdq(-9101);
    const recent = randomPdq(-9102);
    await scan([post({ id: '1', channel: 'retention_old', text: null, media: [{ pdq: old }] })]);
    const scannedAt = desk.app.clock().getTime();
    const [kept] = await hashesOf('retention_old/1');
    expect(new Date(kept!.expires_at).getTime()).toBe(
      scannedAt + desk.app.ctx.config.TAPIS_CONTENT_RETENTION_DAYS * DAY,
    );

    await advance(60 * DAY);
    await scan([post({ id: '1', channel: 'retention_recent', text: null, media: [{ pdq: recent }] })]);
    // Day 60: nothing has expired yet.
    expect(await purgeExpiredContentHashes(desk.app.ctx.db, desk.app.clock())).toBe(0);

    await advance(31 * DAY);
    // Day 91: the first post's hashes (image and text) are past 90 days; the second's are not.
    const purged = await purgeExpiredContentHashes(desk.app.ctx.db, desk.app.clock());
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await hashesOf('retention_old/1')).toEqual([]);
    expect(await hashesOf('retention_recent/1')).toHaveLength(1);

    await bankWith('retention-bank', [flipBits(old, 4, 1), flipBits(recent, 4, 2)]);
    expect(await sweep('retention-bank')).toMatchObject({ checked: 2, matched: 1, cases: 1 });
    expect(await caseOf('retention_old', '1')).toBeUndefined();
    expect(await caseOf('retention_recent', '1')).toMatchObject({ status: 'open' });
  });

  it('removes a deleted post’s hashes and replaces an edited post’s, so a sweep finds what is there now', async () => {
    const deleted = randomPdq(-9201);
    const before = randomPdq(-9202);
    const after = randomPdq(-9203);
    await scan([
      post({ id: '7', channel: 'lifecycle_deleted', text: null, media: [{ pdq: deleted }] }),
      post({ id: '8', channel: 'lifecycle_edited', text: null, media: [{ pdq: before }] }),
    ]);
    expect(await hashesOf('lifecycle_deleted/7')).toHaveLength(1);

    await scan([
      post({ type: 'post_deleted', id: '7', channel: 'lifecycle_deleted', text: null, media: [] }),
      post({
        type: 'post_edited',
        id: '8',
        channel: 'lifecycle_edited',
        text: null,
        media: [{ pdq: after }],
      }),
    ]);
    expect(await hashesOf('lifecycle_deleted/7')).toEqual([]);
    expect((await hashesOf('lifecycle_edited/8')).map((h) => h.value)).toEqual([after]);
    // Both events are on record (ids and results, never the content).
    const events = await desk.app.ctx.db
      .selectFrom('content_events')
      .select(['post_id', 'type'])
      .where('post_id', 'in', ['lifecycle_deleted/7', 'lifecycle_edited/8'])
      .orderBy('received_at')
      .orderBy('type')
      .execute();
    expect(events.map((e) => `${e.post_id} ${e.type}`).sort()).toEqual([
      'lifecycle_deleted/7 post_created',
      'lifecycle_deleted/7 post_deleted',
      'lifecycle_edited/8 post_created',
      'lifecycle_edited/8 post_edited',
    ]);
    // The same deletion again is one event, scanned once.
    await scan([
      post({ type: 'post_deleted', id: '7', channel: 'lifecycle_deleted', text: null, media: [] }),
    ]);
    expect(
      (
        await desk.app.ctx.db
          .selectFrom('content_events')
          .select('id')
          .where('post_id', '=', 'lifecycle_deleted/7')
          .where('type', '=', 'post_deleted')
          .execute()
      ).length,
    ).toBe(1);

    await bankWith('lifecycle-bank', [deleted, before, after]);
    expect(await sweep('lifecycle-bank')).toMatchObject({ checked: 3, matched: 1, cases: 1 });
    expect(await caseOf('lifecycle_deleted', '7')).toBeUndefined();
    const edited = await desk.app.ctx.db
      .selectFrom('detections')
      .innerJoin('bank_entries', 'bank_entries.id', 'detections.entry_id')
      .select(['detections.post_id', 'bank_entries.value'])
      .where('detections.post_id', '=', 'lifecycle_edited/8')
      .execute();
    expect(edited.map((d) => d.value)).toEqual([after]);
  });
});

describe('an incident left open past its expiry', () => {
  it('stops tightening its banks when it expires, though nobody closed it', async () => {
    const footage = randomPdq(-9301);
    await bankWith('expiry-bank', [footage]);
    const bankId = (
      await desk.app.ctx.db
        .selectFrom('banks')
        .select('id')
        .where('name', '=', 'expiry-bank')
        .executeTakeFirstOrThrow()
    ).id;
    const now = desk.app.clock();
    const declared = await request({
      method: 'POST',
      url: '/v1/incidents',
      as: lead,
      payload: {
        name: 'synthetic-expiring',
        description: 'Synthetic exercise: an incident that runs out.',
        bank_ids: [bankId],
        policy: { auto_action: { outcome: 'remove' }, deadline_hours: 1 },
        expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      },
    });
    expect(declared.statusCode).toBe(201);
    const id = declared.json().id;

    await advance(30 * 60_000);
    await scan([
      post({ id: '1', channel: 'expiry_during', text: null, media: [{ pdq: flipBits(footage, 2, 1) }] }),
    ]);
    expect(await caseOf('expiry_during', '1')).toMatchObject({ outcome: 'removed' });

    // One second past its expiry: the bank's own policy (review) applies again.
    await advance(30 * 60_000 + 1_000);
    const view = (await request({ method: 'GET', url: `/v1/incidents/${id}`, as: lead })).json();
    expect(view).toMatchObject({ status: 'active', active: false });
    const listed = (await request({ method: 'GET', url: '/v1/incidents', as: lead })).json();
    const item = (listed.items ?? listed.incidents ?? listed).find((i: { id: string }) => i.id === id);
    expect(item.active).toBe(false);
    await scan([
      post({ id: '2', channel: 'expiry_after', text: null, media: [{ pdq: flipBits(footage, 2, 2) }] }),
    ]);
    expect(await caseOf('expiry_after', '2')).toMatchObject({ status: 'open', outcome: null });
    const detection = await desk.app.ctx.db
      .selectFrom('detections')
      .select('incident_id')
      .where('post_id', '=', 'expiry_after/2')
      .executeTakeFirstOrThrow();
    expect(detection.incident_id).toBeNull();
  });
});
