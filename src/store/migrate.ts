import { type MigrationResult, Migrator, sql } from 'kysely';
import type { Db, Store } from './db.ts';
import { migrations } from './migrations/index.ts';

/**
 * The migration bookkeeping lives in the store's own schema: left unset, Kysely would take
 * another schema's bookkeeping tables on the same server for its own.
 */
function migrator(db: Db, schema: string | null): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Capabilities number their migrations in ranges of their own and land in any order;
    // a migration added below one already applied still runs.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Applies every pending migration. Kysely takes a lock so that two processes starting at
 * once do not both migrate.
 */
export async function migrateToLatest(store: Pick<Store, 'db' | 'schema'>): Promise<MigrateOutcome> {
  if (await everyMigrationApplied(store.db)) return { applied: [] };
  const { error, results } = await migrator(store.db, store.schema).migrateToLatest();
  const applied = (results ?? [])
    .filter((r: MigrationResult) => r.status === 'Success')
    .map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
  }
  return { applied };
}

/**
 * The usual case at start-up, in one query: Kysely's migrator would first inspect the schema
 * and take its lock, which costs about a second on PGlite (issue 16: `npm start` ready in
 * ≤ 3 s on an existing data folder). Any doubt (no bookkeeping table yet, a name missing)
 * goes the migrator's way, lock included.
 */
async function everyMigrationApplied(db: Db): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return Object.keys(migrations).every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** Names of migrations the code has that the database has not applied. */
export async function pendingMigrations(store: Pick<Store, 'db' | 'schema'>): Promise<string[]> {
  const all = await migrator(store.db, store.schema).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Readiness: the database answers and every migration is applied. */
export async function schemaIsCurrent(store: Pick<Store, 'db' | 'schema'>): Promise<boolean> {
  await sql`select 1`.execute(store.db);
  return (await pendingMigrations(store)).length === 0;
}
