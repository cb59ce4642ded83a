import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/schema/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Creating a PGlite database runs initdb, which takes seconds; loading a dump of one takes
 * a fraction of that. So the suite migrates one template database here, once, and every
 * test file starts from its dump.
 */
export default async function setup(project: TestProject): Promise<void> {
  const dir = path.join(os.tmpdir(), `tapis-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'template.tar.gz');
  if (!process.env.TEST_DATABASE_URL) {
    const client = await PGlite.create();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    await migrateToLatest({ db, schema: null });
    const dump = await client.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await db.destroy();
  }
  project.provide('pgliteTemplate', file);
}
