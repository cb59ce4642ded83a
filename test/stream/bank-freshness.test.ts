import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { BANK_CHANNEL, followBankChanges } from '../../src/scanning/bank-freshness.ts';
import { BankMatcher } from '../../src/screening/banks/bank-matcher.ts';
import { addEntries, createBank, removeEntry } from '../../src/screening/banks/bank-store.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { onPostgres, openTestStore } from '../support/store.ts';
import { flipBits, randomPdq } from './support.ts';

/**
 * Cross-process freshness over LISTEN/NOTIFY (migration 1220, src/scanning/bank-freshness.ts):
 * two store connections to one PostgreSQL schema, as two processes have. The follower's
 * matcher never polls here (follow() is not called), so an entry it comes to match reached
 * it by notification alone. On PGlite (one process) there is nothing to follow.
 */
let writer: Store & { schema: string | null };
let reader: Store;
let matcher: BankMatcher;
let unfollow: () => Promise<void>;

/** Waits for an event rather than a fixed time: resolves once `check` holds. */
async function eventually(check: () => boolean, ms = 15_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!onPostgres)('a new bank entry reaches another process by LISTEN/NOTIFY', () => {
  beforeAll(async () => {
    writer = await openTestStore();
    reader = await openStore({
      databaseUrl: process.env.TEST_DATABASE_URL!,
      schema: writer.schema!,
      poolSize: 2,
    });
    matcher = new BankMatcher(reader.db);
    await matcher.load();
    unfollow = await followBankChanges(reader, matcher);
  });
  afterAll(async () => {
    await unfollow?.();
    await reader?.close();
    await writer?.close();
  });

  it('notifies the channel once per statement, with the schema, when the change commits', async () => {
    const listener = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (m) => heard.push(m.payload ?? ''));
    await listener.query(`listen ${BANK_CHANNEL}`);
    try {
      const bank = await createBank(
        writer.db,
        cliActor,
        { name: 'freshness-count', policy: 'review' },
        new Date(),
      );
      await addEntries(
        writer.db,
        cliActor,
        bank.id,
        Array.from({ length: 50 }, (_, i) => ({ signal_type: 'pdq' as const, value: randomPdq(9000 + i) })),
        new Date(),
      );
      await eventually(() => heard.length >= 2);
      // A moment for any stray notification to arrive before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard.every((p) => p === writer.schema)).toBe(true);
      // The bank's insert and the entries' statement(s): a handful, never one per entry.
      expect(heard.length).toBeLessThan(10);
    } finally {
      await listener.end();
    }
  });

  it('makes an entry banked through one connection matchable in the other, without polling', async () => {
    const bank = await createBank(writer.db, cliActor, { name: 'freshness', policy: 'review' }, new Date());
    const hash = randomPdq(4242);
    const near = flipBits(hash, 12, 7);
    expect(matcher.match('pdq', near)).toEqual([]);
    const [added] = await addEntries(
      writer.db,
      cliActor,
      bank.id,
      [{ signal_type: 'pdq', value: hash }],
      new Date(),
    );
    // No assertion on speed (a loaded machine): bench:sweep measures it.
    await eventually(() => matcher.match('pdq', near).length === 1);
    expect(matcher.match('pdq', near)[0]!.bank.name).toBe('freshness');

    // A removal travels the same way.
    await removeEntry(writer.db, cliActor, bank.id, added!.entry_id!, new Date());
    await eventually(() => matcher.match('pdq', near).length === 0);
  });
});
