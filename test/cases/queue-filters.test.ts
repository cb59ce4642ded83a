import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The queue's filters and its order (issue 15, item 7). Every test seeds the cases a filter
 * must keep and the cases it must drop, each under a category of the test's own, and asserts
 * both: a filter that does nothing fails, and so does one that drops everything.
 */
let app: TestApp;
let lead: Caller;
let peninjau: Caller;
let analyst: Caller;
let ngo: Caller;
let leadId: string;
let peninjauId: string;

beforeAll(async () => {
  app = await createTestApp();
  lead = await app.loginAs('lead@platform.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
  leadId = (await app.request({ method: 'GET', url: '/v1/me', as: lead })).json().id;
  peninjauId = (await app.request({ method: 'GET', url: '/v1/me', as: peninjau })).json().id;
});
afterAll(() => app.close());

const T = new Date('2026-11-28T12:00:00.000Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

interface CaseSeed {
  id?: string;
  category: string;
  jurisdiction?: string;
  language?: string;
  status?: string;
  due_at?: Date | null;
  trusted?: boolean;
  severity?: number;
  hash_match_confidence?: number | null;
  notice_count?: number;
  opened_at?: Date;
  assigned_to?: string | null;
  lease_until?: Date | null;
}

/** A case written straight to the database, with exactly the fields the queue orders and filters on. */
async function seedCase(seed: CaseSeed): Promise<string> {
  const id = seed.id ?? newId();
  await app.ctx.db
    .insertInto('cases')
    .values({
      id,
      subject_key: `telegram:channel:queue_${id}`,
      subject: JSON.stringify({ kind: 'channel', username: `queue_${id}` }),
      status: seed.status ?? 'open',
      jurisdiction: seed.jurisdiction ?? 'ID',
      category: seed.category,
      severity: seed.severity ?? 5,
      trusted: seed.trusted ?? false,
      notice_count: seed.notice_count ?? 1,
      hash_match_confidence: seed.hash_match_confidence ?? null,
      language: seed.language ?? 'id',
      due_at: seed.due_at === undefined ? T : seed.due_at,
      opened_at: seed.opened_at ?? at(-60),
      assigned_to: seed.assigned_to ?? null,
      lease_until: seed.lease_until ?? null,
    } as never)
    .execute();
  return id;
}

async function queue(as: Caller, query: string): Promise<string[]> {
  const response = await app.request({ method: 'GET', url: `/v1/queue?limit=500&${query}`, as });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { case_id: string }[]).map((i) => i.case_id);
}

describe('queue filters', () => {
  it('by jurisdiction: keeps the cases of that jurisdiction and drops the others', async () => {
    const category = 'qf_jurisdiction';
    const ie = [
      await seedCase({ category, jurisdiction: 'IE', language: 'en' }),
      await seedCase({ category, jurisdiction: 'IE', language: 'en' }),
    ];
    const id = [await seedCase({ category, jurisdiction: 'ID' })];
    expect((await queue(lead, `category=${category}&jurisdiction=IE`)).sort()).toEqual([...ie].sort());
    expect(await queue(lead, `category=${category}&jurisdiction=ID`)).toEqual(id);
    expect(await queue(lead, `category=${category}&jurisdiction=FR`)).toEqual([]);
    expect((await queue(lead, `category=${category}`)).sort()).toEqual([...ie, ...id].sort());
  });

  it('by language: keeps the cases in that language and drops the others', async () => {
    const category = 'qf_language';
    const en = [await seedCase({ category, language: 'en' })];
    const id = [await seedCase({ category, language: 'id' }), await seedCase({ category, language: 'id' })];
    expect(await queue(lead, `category=${category}&language=en`)).toEqual(en);
    expect((await queue(lead, `category=${category}&language=id`)).sort()).toEqual([...id].sort());
    expect(await queue(lead, `category=${category}&language=ar`)).toEqual([]);
  });

  it('by category: keeps that category only', async () => {
    const a = [await seedCase({ category: 'qf_category_a' }), await seedCase({ category: 'qf_category_a' })];
    const b = [await seedCase({ category: 'qf_category_b' })];
    expect((await queue(lead, 'category=qf_category_a')).sort()).toEqual([...a].sort());
    expect(await queue(lead, 'category=qf_category_b')).toEqual(b);
  });

  it('mine: keeps the cases I hold and drops open ones and others’ expired leases', async () => {
    const category = 'qf_mine';
    const mine = await seedCase({ category, status: 'in_review', assigned_to: leadId, lease_until: at(5) });
    const open = await seedCase({ category });
    // Another reviewer's lease ran out: the case is back in line, but not mine.
    const expired = await seedCase({
      category,
      status: 'in_review',
      assigned_to: peninjauId,
      lease_until: new Date(app.clock().getTime() - 60_000),
    });
    // Another reviewer's live lease: nobody else's queue shows it.
    const theirs = await seedCase({
      category,
      status: 'in_review',
      assigned_to: peninjauId,
      lease_until: at(24 * 60),
    });
    expect(await queue(lead, `category=${category}&mine=true`)).toEqual([mine]);
    const all = await queue(lead, `category=${category}&mine=false`);
    expect(all.sort()).toEqual([mine, open, expired].sort());
    expect(all).not.toContain(theirs);
    expect((await queue(peninjau, `category=${category}&mine=true`)).sort()).toEqual(
      [theirs, expired].sort(),
    );
  });

  it('by source: keeps the cases a trusted flagger notified and drops a regular notifier’s', async () => {
    const submit = async (as: Caller, target: string) => {
      const response = await app.request({
        method: 'POST',
        url: '/v1/notices',
        as,
        payload: {
          targets: [target],
          category: 'gambling',
          explanation: 'Synthetic notice for the queue filter tests.',
          good_faith: true,
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().targets[0].case_id as string;
    };
    const trusted = await submit(analyst, '@qf_source_trusted');
    const regular = await submit(ngo, '@qf_source_regular');
    const trustedOnly = await queue(lead, 'category=gambling&source=trusted_flagger');
    expect(trustedOnly).toContain(trusted);
    expect(trustedOnly).not.toContain(regular);
    const regularOnly = await queue(lead, 'category=gambling&source=regular_notice');
    expect(regularOnly).toContain(regular);
    expect(regularOnly).not.toContain(trusted);
  });
});

describe('queue order', () => {
  it('breaks ties by trust, severity, hash-match confidence, notices, age and id, in that order', async () => {
    const category = 'qf_order';
    // Each case follows the one before it by one key alone, and beats it on every later key:
    // drop or reverse any tie-breaker and the order changes.
    const ids = Array.from({ length: 3 }, (_, i) => `00000000-0000-7000-8000-00000000000${i + 1}`);
    const base = {
      category,
      due_at: T,
      trusted: true,
      severity: 5,
      hash_match_confidence: 0.9,
      notice_count: 3,
      opened_at: at(-100),
    };
    const dueEarlier = await seedCase({
      ...base,
      due_at: at(-1),
      trusted: false,
      severity: 1,
      hash_match_confidence: null,
      notice_count: 1,
      opened_at: at(-1),
    });
    const first = await seedCase({ ...base, id: ids[1] });
    const sameButLaterId = await seedCase({ ...base, id: ids[2] });
    const openedLater = await seedCase({ ...base, id: ids[0], opened_at: at(-50) });
    const fewerNotices = await seedCase({ ...base, notice_count: 2, opened_at: at(-200) });
    const lessConfident = await seedCase({
      ...base,
      hash_match_confidence: 0.5,
      notice_count: 9,
      opened_at: at(-300),
    });
    const noConfidence = await seedCase({
      ...base,
      hash_match_confidence: null,
      notice_count: 9,
      opened_at: at(-300),
    });
    const lessSevere = await seedCase({
      ...base,
      severity: 4,
      hash_match_confidence: 1,
      notice_count: 99,
      opened_at: at(-400),
    });
    const untrusted = await seedCase({
      ...base,
      trusted: false,
      severity: 9,
      hash_match_confidence: 1,
      notice_count: 99,
      opened_at: at(-500),
    });
    const noDeadline = await seedCase({
      ...base,
      due_at: null,
      severity: 9,
      hash_match_confidence: 1,
      notice_count: 99,
      opened_at: at(-600),
    });
    expect(await queue(lead, `category=${category}`)).toEqual([
      dueEarlier,
      first,
      sameButLaterId,
      openedLater,
      fewerNotices,
      lessConfident,
      noConfidence,
      lessSevere,
      untrusted,
      noDeadline,
    ]);
    // Paging keeps the order.
    const page = await queue(lead, `category=${category}&offset=3`);
    expect(page.slice(0, 2)).toEqual([openedLater, fewerNotices]);
  });
});
