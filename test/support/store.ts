import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, quoteIdent, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

/**
 * A database of this test file's own: PGlite in memory (from the migrated template), or,
 * when TEST_DATABASE_URL is set, a fresh schema on that PostgreSQL server, dropped at close.
 */
export async function openTestStore(): Promise<Store & { schema: string | null }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dump = readFileSync(inject('pgliteTemplate'));
    const store = await openStore({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
    await migrateToLatest(store);
    return { ...store, schema: null };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ databaseUrl: url, schema, poolSize: 10 });
  await migrateToLatest(store);
  return {
    ...store,
    schema,
    close: async () => {
      await store.close();
      await adminQuery(url, `drop schema ${quoteIdent(schema)} cascade`);
    },
  };
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
