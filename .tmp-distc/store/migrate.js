import { Migrator, sql } from 'kysely';
import { migrations } from "./migrations/index.js";
/**
 * The migration bookkeeping lives in the store's own schema: left unset, Kysely would take
 * another schema's bookkeeping tables on the same server for its own.
 */
function migrator(db, schema) {
    return new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        // Capabilities number their migrations in ranges of their own and land in any order;
        // a migration added below one already applied still runs.
        allowUnorderedMigrations: true,
        ...(schema ? { migrationTableSchema: schema } : {}),
    });
}
/**
 * Applies every pending migration. Kysely takes a lock so that two processes starting at
 * once do not both migrate.
 */
export async function migrateToLatest(store) {
    const { error, results } = await migrator(store.db, store.schema).migrateToLatest();
    const applied = (results ?? [])
        .filter((r) => r.status === 'Success')
        .map((r) => r.migrationName);
    if (error) {
        const failed = (results ?? []).find((r) => r.status === 'Error');
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
    }
    return { applied };
}
/** Names of migrations the code has that the database has not applied. */
export async function pendingMigrations(store) {
    const all = await migrator(store.db, store.schema).getMigrations();
    return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
/** Readiness: the database answers and every migration is applied. */
export async function schemaIsCurrent(store) {
    await sql `select 1`.execute(store.db);
    return (await pendingMigrations(store)).length === 0;
}
