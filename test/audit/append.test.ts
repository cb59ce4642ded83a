import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, seal } from '../../src/audit/chain.ts';
import { appendAuditMany, prepareAuditAppend, takeAuditLock } from '../../src/audit/log.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { cliActor } from '../../src/identity/actor.ts';
import type { Store } from '../../src/store/db.ts';
import { runTogether } from '../../src/store/pipeline.ts';
import { transact } from '../../src/store/transact.ts';
import { openTestStore } from '../support/store.ts';

/**
 * Appending continues from the head this process last wrote, without reading it first; the
 * insert checks under the chain's lock that it still is the head. These tests move the head
 * behind the process's back, as another process or a rolled-back transaction would.
 */
let store: Store;
const at = new Date('2026-11-28T10:00:00Z');
const item = (n: number) => ({
  actor: cliActor,
  record: { action: 'probe.appended', objectType: 'probe', objectId: `probe-${n}`, change: { n } },
});

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.close());

async function objectIds(): Promise<string[]> {
  const rows = await store.db
    .selectFrom('audit_log')
    .select('object_id')
    .where('action', '=', 'probe.appended')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.object_id);
}

/** An entry appended as another process would: sealed on the real head, inserted directly. */
async function appendElsewhere(n: number): Promise<void> {
  await transact(store.db, async (trx) => {
    await sql`select ${takeAuditLock()}`.execute(trx);
    const head = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const entry = seal(
      {
        seq: (head?.seq ?? 0) + 1,
        at,
        actor_type: 'system',
        actor_id: 'elsewhere',
        actor_org_id: null,
        action: 'probe.appended',
        object_type: 'probe',
        object_id: `probe-${n}`,
        change: { n },
      },
      head?.hash ?? GENESIS_HASH,
    );
    await trx
      .insertInto('audit_log')
      .values({ ...entry, change: JSON.stringify(entry.change) })
      .execute();
  });
}

describe('audit append', () => {
  it('seals again on the real head when another process appended since', async () => {
    await transact(store.db, (trx) => appendAuditMany(trx, [item(1), item(2)], at));
    await appendElsewhere(3);
    // The intake's way: the lock and the append travel together in a pipelined transaction.
    await store.pipelinedTransaction(async (trx) => {
      const append = prepareAuditAppend(trx, [item(4), item(5)], at);
      const [, appended] = await runTogether(trx, [
        sql`select ${takeAuditLock()}`.compile(trx),
        append.statement,
      ]);
      await append.finish(trx, appended!);
    });
    expect(await objectIds()).toEqual(['probe-1', 'probe-2', 'probe-3', 'probe-4', 'probe-5']);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it('seals again when the head it remembers was rolled back', async () => {
    await expect(
      transact(store.db, async (trx) => {
        await appendAuditMany(trx, [item(6)], at);
        throw new Error('the change is refused after its audit entry');
      }),
    ).rejects.toThrow('refused');
    await transact(store.db, (trx) => appendAuditMany(trx, [item(7)], at));
    expect(await objectIds()).toEqual(['probe-1', 'probe-2', 'probe-3', 'probe-4', 'probe-5', 'probe-7']);
    const verified = await verifyAuditChain(store.db);
    expect(verified.ok).toBe(true);
  });

  it('continues from the remembered head without reading it when nobody else appended', async () => {
    await transact(store.db, (trx) => appendAuditMany(trx, [item(8)], at));
    const append = await transact(store.db, async (trx) => prepareAuditAppend(trx, [item(9)], at));
    // The statement sealed on the remembered head is an insert, not a read of the head.
    expect(append.statement.sql).toMatch(/insert into audit_log/);
  });
});
