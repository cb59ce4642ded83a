import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Store } from '../../src/store/db.ts';
import { runTogether } from '../../src/store/pipeline.ts';
import { onPostgres, openTestStore } from '../support/store.ts';

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
  await sql`create table pipeline_probe (n integer not null)`.execute(store.db);
});
afterAll(() => store.close());

const insert = (trx: Db, n: number) => sql`insert into pipeline_probe (n) values (${n})`.compile(trx);
const stored = async () =>
  (await sql<{ n: number }>`select n from pipeline_probe order by n`.execute(store.db)).rows.map((r) => r.n);

describe('pipelined transactions', () => {
  it('runs statements sent together in order, each seeing the ones before, and commits them', async () => {
    const seen = await store.pipelinedTransaction(async (trx) => {
      await sql`delete from pipeline_probe`.execute(trx);
      const results = await runTogether(trx, [
        insert(trx, 1),
        sql`select count(*)::int as count from pipeline_probe`.compile(trx),
        insert(trx, 2),
        sql`select string_agg(n::text, ',' order by n) as all from pipeline_probe`.compile(trx),
      ]);
      return results.map((r) => r.rows[0] ?? null);
    });
    expect(seen).toEqual([null, { count: 1 }, null, { all: '1,2' }]);
    expect(await stored()).toEqual([1, 2]);
  });

  it('rolls everything back when a statement fails, reports that statement’s error, and stays usable', async () => {
    await expect(
      store.pipelinedTransaction(async (trx) => {
        await runTogether(trx, [
          insert(trx, 3),
          sql`select 1 / (n - n) from pipeline_probe`.compile(trx),
          insert(trx, 4),
        ]);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await stored()).toEqual([1, 2]);
    await store.pipelinedTransaction(async (trx) => {
      await runTogether(trx, [insert(trx, 5)]);
    });
    expect(await stored()).toEqual([1, 2, 5]);
  });

  it('rolls back when the work throws after its statements succeeded', async () => {
    await expect(
      store.pipelinedTransaction(async (trx) => {
        await sql`insert into pipeline_probe (n) values (6)`.execute(trx);
        throw new Error('refused after writing');
      }),
    ).rejects.toThrow('refused after writing');
    expect(await stored()).toEqual([1, 2, 5]);
  });

  it('keeps transactions apart: one that has not committed is not seen by another', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = store.pipelinedTransaction(async (trx) => {
      await sql`insert into pipeline_probe (n) values (7)`.execute(trx);
      await held;
    });
    // PGlite runs one transaction at a time: there the second waits for the first instead.
    if (store.kind === 'postgres') {
      const during = await store.pipelinedTransaction(
        async (trx) =>
          (await sql<{ n: number }>`select n from pipeline_probe where n = 7`.execute(trx)).rows.length,
      );
      expect(during).toBe(0);
    }
    release();
    await first;
    expect(await stored()).toEqual([1, 2, 5, 7]);
  });

  it.skipIf(!onPostgres)(
    'refuses to call a transaction committed when a swallowed error aborted it',
    async () => {
      await expect(
        store.pipelinedTransaction(async (trx) => {
          await runTogether(trx, [
            insert(trx, 8),
            sql`select 1 / (n - n) from pipeline_probe`.compile(trx),
          ]).catch(() => {});
        }),
      ).rejects.toThrow(/not committed/);
      expect(await stored()).toEqual([1, 2, 5, 7]);
    },
  );

  it.skipIf(!onPostgres)('refuses statements once the transaction is over', async () => {
    let kept: Db | undefined;
    await store.pipelinedTransaction(async (trx) => {
      kept = trx;
    });
    await expect(sql`select 1`.execute(kept!)).rejects.toThrow(/over/);
  });
});
