import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openStore, quoteIdent, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { adminQuery } from './store.ts';

/**
 * A database that a `tapis` process can open too: a PGlite data folder on disk, or a
 * schema of its own on the test PostgreSQL server. `env` points the CLI at it.
 */
export interface SharedStore {
  env: Record<string, string>;
  open(): Promise<Store>;
  /** A copy of this database, to spoil without spoiling the original. */
  copy(): Promise<SharedStore>;
  dispose(): Promise<void>;
}

export async function createSharedStore(): Promise<SharedStore> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `test_cli_${randomBytes(5).toString('hex')}`;
    return postgresShared(url, schema);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-cli-'));
  // Start from the migrated template rather than running initdb.
  const store = await openStore({
    dataDir: dir,
    loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]),
  });
  await migrateToLatest(store);
  await store.close();
  return pgliteShared(dir);
}

function pgliteShared(dir: string): SharedStore {
  return {
    env: { TAPIS_DATA_DIR: dir, DATABASE_URL: '' },
    open: () => openStore({ dataDir: dir }),
    async copy() {
      const to = mkdtempSync(path.join(os.tmpdir(), 'tapis-cli-'));
      cpSync(dir, to, { recursive: true });
      return pgliteShared(to);
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresShared(url: string, schema: string): SharedStore {
  return {
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    open: () => openStore({ databaseUrl: url, schema, poolSize: 2 }),
    async copy() {
      const to = `test_cli_${randomBytes(5).toString('hex')}`;
      const target = postgresShared(url, to);
      const store = await target.open();
      await migrateToLatest(store);
      await store.close();
      // Copy the audit log row for row, the trigger being off for the copy.
      await adminQuery(
        url,
        `alter table ${quoteIdent(to)}.audit_log disable trigger audit_log_no_update;
         insert into ${quoteIdent(to)}.audit_log select * from ${quoteIdent(schema)}.audit_log;
         alter table ${quoteIdent(to)}.audit_log enable trigger audit_log_no_update;`,
      );
      return target;
    },
    async dispose() {
      await adminQuery(url, `drop schema if exists ${quoteIdent(schema)} cascade`);
    },
  };
}
