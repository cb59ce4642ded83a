import { type MigrationResult, Migrator, sql } from 'kysely';
import type { Db } from './db.ts';
import { migrations } from './migrations/index.ts';

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Applies every pending migration. Kysely takes a lock so that two processes starting at
 * once do not both migrate.
 */
export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  const { error, results } = await migrator(db).migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
  }
  return { applied };
}

/** Names of migrations the code has that the database has not applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Readiness: the database answers and every migration is applied. */
export async function schemaIsCurrent(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return (await pendingMigrations(db)).length === 0;
}
