import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import type { Store } from '../../src/store/db.ts';
import {
  queueSubmissions,
  submissionStates,
  TDB_TOPIC,
  tdbSubmitHandler,
} from '../../src/transparency/submission.ts';
import { tdbClient } from '../../src/transparency/tdb-client.ts';
import { testClock } from '../support/clock.ts';
import { FakeTdbApi } from '../support/fake-tdb-api.ts';
import { insertStatement } from '../support/statements.ts';
import { openTestStore } from '../support/store.ts';

/**
 * Submission to the Transparency Database, against a local double that applies the same
 * validation rules: batches of at most 100, through the outbox, retried, each statement
 * submitted once, with its state per statement.
 */
const TOKEN = 'tdb-test-token-0123456789';
let store: Store;
let tdb: FakeTdbApi;
const clock = testClock('2026-06-01T08:00:00Z');

function worker(token = TOKEN) {
  return new OutboxWorker({
    db: store.db,
    clock,
    log: pino({ level: 'silent' }),
    handlers: {
      [TDB_TOPIC]: tdbSubmitHandler({
        db: store.db,
        client: tdbClient({ url: tdb.url, token }),
        clock,
        log: pino({ level: 'silent' }),
      }),
    },
  });
}

/** Runs the outbox until nothing of the topic is due, moving the clock past backoffs. */
async function drain(w: OutboxWorker, rounds = 40) {
  for (let i = 0; i < rounds; i++) {
    if ((await w.runOnce()) > 0) continue;
    const pending = await store.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('topic', '=', TDB_TOPIC)
      .executeTakeFirst();
    if (!pending) return;
    clock.advance(10 * 60_000);
  }
}

const statesOf = async () =>
  Object.fromEntries(
    (await store.db.selectFrom('tdb_submissions').select(['puid', 'status']).execute()).map((r) => [
      r.puid,
      r.status,
    ]),
  );

beforeAll(async () => {
  tdb = await FakeTdbApi.start(TOKEN);
});
afterAll(() => tdb.stop());
beforeEach(async () => {
  store = await openTestStore();
  tdb.stored.clear();
  tdb.requests.length = 0;
  tdb.refusePuids.clear();
});
afterEach(() => store.close());

describe('submission to the Transparency Database', () => {
  it('sends 250 statements in batches of at most 100, each once, and records the database’s id for each', async () => {
    for (let i = 0; i < 250; i++)
      await insertStatement(store.db, { at: new Date(Date.UTC(2026, 4, 1, 0, i)) });
    const local = await insertStatement(store.db, {
      at: new Date('2026-05-02T00:00:00Z'),
      facts: { territories: ['ID'] },
    });
    expect(await queueSubmissions(store.db, clock())).toBe(250);
    expect(await queueSubmissions(store.db, clock())).toBe(0);
    await drain(worker());
    // Batches are delivered side by side, in no particular order.
    expect(tdb.requests.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(tdb.requests.map((r) => r.puids.length).sort()).toEqual([100, 100, 50]);
    expect(tdb.stored.size).toBe(250);
    expect(await submissionStates(store.db)).toEqual({
      pending: 0,
      submitted: 250,
      refused: 0,
      failed: 0,
      outside_eea: 1,
    });
    const row = await store.db
      .selectFrom('tdb_submissions')
      .selectAll()
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    expect(row.tdb_uuid).toBe(tdb.stored.get(row.puid)!.uuid);
    expect(tdb.stored.has(local.decisionId)).toBe(false);
  });

  it('retries while the database fails, and stores every statement once when it is back', async () => {
    for (let i = 0; i < 3; i++) await insertStatement(store.db, { at: new Date(Date.UTC(2026, 4, 1, i)) });
    await queueSubmissions(store.db, clock());
    tdb.failNext(503, 500);
    await drain(worker());
    expect(tdb.requests.map((r) => r.status)).toEqual([503, 500, 201]);
    expect(Object.values(await statesOf())).toEqual(['submitted', 'submitted', 'submitted']);
    const attempts = await store.db.selectFrom('tdb_submissions').select('attempts').execute();
    expect(attempts.map((a) => a.attempts)).toEqual([3, 3, 3]);
  });

  it('counts a statement the database already holds as submitted, and sends the rest', async () => {
    const first = await insertStatement(store.db, { at: new Date('2026-05-01T00:00:00Z') });
    const second = await insertStatement(store.db, { at: new Date('2026-05-01T01:00:00Z') });
    // As if tapis had crashed after the database stored the first one.
    tdb.stored.set(first.decisionId, { uuid: 'earlier', statement: {} });
    await queueSubmissions(store.db, clock());
    await drain(worker());
    expect(await statesOf()).toEqual({ [first.decisionId]: 'submitted', [second.decisionId]: 'submitted' });
    expect(tdb.requests.map((r) => r.status)).toEqual([422, 201]);
    expect(tdb.requests[1]!.puids).toEqual([second.decisionId]);
    expect(tdb.stored.get(first.decisionId)!.uuid).toBe('earlier');
  });

  it('marks a refused statement refused, with the reason, and submits the rest of its batch', async () => {
    const good = await insertStatement(store.db, { at: new Date('2026-05-01T00:00:00Z') });
    const refused = await insertStatement(store.db, { at: new Date('2026-05-01T01:00:00Z') });
    // An invalid statement stored before tapis knew better: never sent.
    const invalid = await insertStatement(store.db, {
      at: new Date('2026-05-01T02:00:00Z'),
      content: { puid: 'old:style', source_type: 'SOURCE_TRUSTED_NOTIFIER', territorial_scope: ['DE'] },
    });
    tdb.refusePuids.add(refused.decisionId);
    await queueSubmissions(store.db, clock());
    await drain(worker());
    expect(await statesOf()).toEqual({
      [good.decisionId]: 'submitted',
      [refused.decisionId]: 'refused',
      'old:style': 'refused',
    });
    expect(tdb.requests.flatMap((r) => r.puids)).not.toContain('old:style');
    const reasons = await store.db
      .selectFrom('tdb_submissions')
      .select(['statement_id', 'last_error'])
      .where('status', '=', 'refused')
      .execute();
    expect(reasons.find((r) => r.statement_id === invalid.statementId)!.last_error).toMatch(/source_type/);
    expect(reasons.find((r) => r.statement_id === refused.statementId)!.last_error).toMatch(
      /refused by the double/,
    );
  });

  it('keeps statements pending with the reason while the token is refused', async () => {
    await insertStatement(store.db, { at: new Date('2026-05-01T00:00:00Z') });
    await queueSubmissions(store.db, clock());
    const w = worker('a-wrong-token-000000');
    await w.runOnce();
    const row = await store.db.selectFrom('tdb_submissions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', last_error: 'the Transparency Database answered 401' });
    expect(tdb.stored.size).toBe(0);
  });
});
