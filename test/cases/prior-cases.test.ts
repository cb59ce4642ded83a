import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativesOf } from '../../src/cases/prior-cases.ts';
import { newId } from '../../src/core/ids.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * GET /v1/cases/{id}/prior: the cases a reviewer should see before deciding, those on the
 * same target and those on the same chat (the channel and its other messages).
 */
let app: TestApp;
let reviewer: Caller;
let analyst: Caller;

const DAY = 86_400_000;
const base = new Date('2026-03-01T00:00:00Z');

async function insertCase(
  subjectKey: string,
  options: { daysAgo: number; outcome?: string | null; status?: string },
): Promise<string> {
  const id = newId();
  const at = new Date(base.getTime() - options.daysAgo * DAY);
  const closed = (options.status ?? 'closed') === 'closed';
  await app.ctx.db
    .insertInto('cases')
    .values({
      id,
      subject_key: subjectKey,
      subject: JSON.stringify({ key: subjectKey, url: `https://t.me/${subjectKey.split(':').pop()}` }),
      status: options.status ?? 'closed',
      jurisdiction: 'ID',
      category: 'terrorism',
      severity: 5,
      trusted: true,
      notice_count: 1,
      language: 'id',
      opened_at: at,
      closed_at: closed ? at : null,
      decided_at: closed ? at : null,
      outcome: options.outcome ?? null,
    })
    .execute();
  return id;
}

const prior = (id: string, as: Caller = reviewer) =>
  app.request({ method: 'GET', url: `/v1/cases/${id}/prior`, as });

let current: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await createTestApp();
  reviewer = await app.loginAs('peninjau@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  ids.sameMessage = await insertCase('telegram:message:prior_chan/5', { daysAgo: 30, outcome: 'removed' });
  ids.channel = await insertCase('telegram:username:prior_chan', { daysAgo: 20, outcome: 'no_action' });
  ids.otherMessage = await insertCase('telegram:message:prior_chan/6?comment=2', { daysAgo: 10 });
  // "_" is LIKE's any-character: priorXchan must not pass for prior_chan.
  ids.lookalike = await insertCase('telegram:message:priorxchan/5', { daysAgo: 5, outcome: 'removed' });
  ids.longer = await insertCase('telegram:message:prior_chan2/5', { daysAgo: 5, outcome: 'removed' });
  ids.unrelated = await insertCase('telegram:username:someone_else', { daysAgo: 1, outcome: 'removed' });
  current = await insertCase('telegram:message:prior_chan/5', { daysAgo: 0, status: 'open' });
});
afterAll(() => app.close());

describe('prior cases on the same subject', () => {
  it('lists the same target and the same chat, newest first, with outcomes, and nothing else', async () => {
    const response = await prior(current);
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Record<string, unknown>[];
    expect(items.map((i) => i.case_id)).toEqual([ids.otherMessage, ids.channel, ids.sameMessage]);
    expect(items.map((i) => i.relation)).toEqual(['same_chat', 'same_chat', 'same_subject']);
    expect(items[2]).toMatchObject({
      outcome: 'removed',
      status: 'closed',
      subject_key: 'telegram:message:prior_chan/5',
      opened_at: new Date(base.getTime() - 30 * DAY).toISOString(),
    });
    expect(items[0]!.outcome).toBeNull();
  });

  it('finds the channel’s messages from the channel’s own case', async () => {
    const items = (await prior(ids.channel!)).json().items as { case_id: string }[];
    expect(items.map((i) => i.case_id).sort()).toEqual(
      [current, ids.otherMessage, ids.sameMessage].sort() as string[],
    );
  });

  it('has no relatives for an invite link or a web page beyond the same key', () => {
    expect(relativesOf('telegram:invite:AbC_d')).toEqual({ chatKeys: [], messagePrefixes: [] });
    expect(relativesOf('web:https://example.org/a')).toEqual({ chatKeys: [], messagePrefixes: [] });
    expect(relativesOf('telegram:private:12345/9')).toEqual({
      chatKeys: ['telegram:private:12345'],
      messagePrefixes: ['telegram:private:12345/%'],
    });
  });

  it('is an empty list for a case with no relatives', async () => {
    expect((await prior(ids.unrelated!)).json()).toEqual({ items: [] });
  });

  it('is for the platform: a flagger is refused', async () => {
    expect((await prior(current, analyst)).statusCode).toBe(403);
    expect((await prior(current, null)).statusCode).toBe(401);
  });

  it('answers bad input with a problem, never a 500', async () => {
    const unknown = await prior('00000000-0000-7000-8000-00000000abcd');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const bad = ['not-a-uuid', encodeURIComponent('0000\u202e0000-0000-7000-8000-000000000000')];
    for (const id of bad) {
      const response = await prior(id);
      expect(response.statusCode, id).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).not.toContain('    at ');
    }
    const unknownField = await app.request({
      method: 'GET',
      url: `/v1/cases/${current}/prior?limit=5`,
      as: reviewer,
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.headers['content-type']).toContain('application/problem+json');
    // Past the router's parameter length the route is not matched at all: a 404 problem.
    const oversized = await prior('x'.repeat(5000));
    expect(oversized.statusCode).toBe(404);
    expect(oversized.headers['content-type']).toContain('application/problem+json');
  });
});
