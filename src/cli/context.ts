import type { Store } from '../store/db.ts';

/**
 * What the commands share. This module is imported by every command module at start-up, so
 * it imports nothing at the top: the database code (config, Kysely, PGlite, pg) loads inside
 * withStore, when a command that needs it runs.
 */

export interface WithStoreOptions {
  /** Apply pending migrations first (the default). */
  migrate?: boolean;
  /**
   * May the command create the database when there is none? Only the commands that can do
   * their work on an empty database say yes (migrate, seed-demo, org create, banks import).
   * Every other one refuses a missing database with an error that names TAPIS_DATA_DIR
   * (or DATABASE_URL), rather than leaving an empty one behind in the current folder.
   */
  create?: boolean;
}

/**
 * Runs a command against the configured database. On PGlite the server must be stopped
 * (the data folder is locked); on PostgreSQL the CLI works beside a running server.
 */
export async function withStore<T>(
  run: (store: Store) => Promise<T>,
  options: WithStoreOptions = {},
): Promise<T> {
  const [{ loadConfig }, { openConfiguredStore }, { assertDatabaseExists }] = await Promise.all([
    import('../config/config.ts'),
    import('../runtime/store.ts'),
    import('./existing-database.ts'),
  ]);
  const config = loadConfig();
  if (!options.create) await assertDatabaseExists(config);
  const store = await openConfiguredStore(config, options);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Commander collector for repeatable or comma-separated options. */
export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
