import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepNewEntries } from '../../src/scanning/sweep.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { flipBits, post, randomPdq } from './support.ts';

/**
 * Crisis mode (GIFCT Content Incident Protocol): while an incident is active, matches in its
 * banks act at once with shorter deadlines, new hashes are swept, and the timeline counts it
 * all per minute; it closes with a debrief. When it expires, the bank's own policy is back.
 */
let desk: Desk;
let platformKey: Caller;
let lead: Caller;
let bankId: string;
const footage = randomPdq(-777);

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
  const bank = await desk.app.request({
    method: 'POST',
    url: '/v1/banks',
    as: lead,
    payload: { name: 'crisis-bank', policy: 'review' },
  });
  bankId = bank.json().id;
  await desk.app.request({
    method: 'POST',
    url: '/v1/banks/crisis-bank/entries',
    as: lead,
    payload: { entries: [{ signal_type: 'pdq', value: footage }] },
  });
});
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);

async function scan(events: unknown[]): Promise<void> {
  await request({ method: 'POST', url: '/v1/content', as: platformKey, payload: events as never });
  for (let i = 0; i < 20 && (await desk.worker.runOnce()) > 0; i++);
}

const caseOf = (channel: string, id: string) =>
  desk.app.ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('subject_key', '=', `telegram:message:${channel}/${id}`)
    .executeTakeFirst();

describe('crisis mode', () => {
  it('tightens a review bank to act at once while the incident is active, keeps a timeline, and closes with a debrief', async () => {
    desk.app.clock.advance(1_000);
    const now = desk.app.clock();
    const declared = await request({
      method: 'POST',
      url: '/v1/incidents',
      as: lead,
      payload: {
        name: 'synthetic-attack',
        description: 'Synthetic exercise: perpetrator footage circulating.',
        bank_ids: [bankId],
        policy: { auto_action: { outcome: 'remove' }, deadline_hours: 1 },
        expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      },
    });
    expect(declared.statusCode).toBe(201);
    const incidentId = declared.json().id;

    await scan([post({ id: '1', channel: 'crisis_channel', media: [{ pdq: flipBits(footage, 3, 1) }] })]);
    const acted = await caseOf('crisis_channel', '1');
    expect(acted).toMatchObject({ outcome: 'removed' });
    expect(acted!.legal_due_at!.getTime() - now.getTime()).toBeLessThanOrEqual(3_600_000);
    const evidence = (
      await request({ method: 'GET', url: `/v1/cases/${acted!.id}/detections`, as: lead })
    ).json();
    expect(evidence.detections[0].incident_id).toBe(incidentId);

    // A hash added during the incident is swept at once (here: the sweep job's pass).
    await scan([post({ id: '2', channel: 'crisis_channel_b', media: [{ pdq: randomPdq(-778) }] })]);
    await request({
      method: 'POST',
      url: '/v1/banks/crisis-bank/entries',
      as: lead,
      payload: { entries: [{ signal_type: 'pdq', value: randomPdq(-778) }] },
    });
    // Both entries are new to the sweep (no job ran before); only the second was added during the incident.
    expect(await sweepNewEntries(desk.app.ctx)).toMatchObject({ checked: 2, matched: 1, actions: 1 });

    const view = (await request({ method: 'GET', url: `/v1/incidents/${incidentId}`, as: lead })).json();
    expect(view).toMatchObject({ active: true, totals: { matches: 2, actions: 2, new_hashes: 1 } });
    expect(view.timeline).toHaveLength(1);
    expect(view.timeline[0].minute).toBe(new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString());

    const closed = await request({
      method: 'POST',
      url: `/v1/incidents/${incidentId}/close`,
      as: lead,
      payload: { summary: 'Synthetic debrief: two copies removed.', lessons: 'Share hashes sooner.' },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().debrief).toMatchObject({
      summary: 'Synthetic debrief: two copies removed.',
      totals: { matches: 2, actions: 2 },
    });
    const audit = await desk.app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', incidentId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['incident.declared', 'incident.closed']);

    // Closed: the bank's own policy (review) applies again.
    await scan([post({ id: '3', channel: 'after_channel', media: [{ pdq: footage }] })]);
    expect(await caseOf('after_channel', '3')).toMatchObject({ status: 'open', outcome: null });
  });

  it('refuses an incident that expires before it starts, or names no bank that exists', async () => {
    const now = desk.app.clock().toISOString();
    const backwards = await request({
      method: 'POST',
      url: '/v1/incidents',
      as: lead,
      payload: {
        name: 'backwards',
        description: 'x',
        bank_ids: [bankId],
        policy: { auto_action: null, deadline_hours: 1 },
        starts_at: now,
        expires_at: now,
      },
    });
    expect(backwards.statusCode).toBe(400);
    const unknown = await request({
      method: 'POST',
      url: '/v1/incidents',
      as: lead,
      payload: {
        name: 'unknown-bank',
        description: 'x',
        bank_ids: ['00000000-0000-7000-8000-000000000009'],
        policy: { auto_action: null, deadline_hours: 1 },
        expires_at: new Date(Date.parse(now) + 60_000).toISOString(),
      },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/bank_ids/);
  });
});
