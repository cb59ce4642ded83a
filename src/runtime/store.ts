import type { Config } from '../config/config.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { lockDataDir } from './data-dir-lock.ts';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export async function openConfiguredStore(
  config: Config,
  options: {
    migrate?: boolean;
    /**
     * A long-running server: bound every wait for PostgreSQL (DATABASE_CONNECT_TIMEOUT_MS,
     * DATABASE_STATEMENT_TIMEOUT_MS), so that an outage answers 503 rather than hangs. One-off
     * commands (a report, an import) may run statements as long as they need.
     */
    serving?: boolean;
  } = {},
): Promise<Store> {
  const unlock = config.DATABASE_URL ? () => {} : lockDataDir(config.TAPIS_DATA_DIR);
  let store: Store;
  const settings = {
    databaseUrl: config.DATABASE_URL,
    dataDir: config.TAPIS_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    ...(config.DATABASE_SCHEMA ? { schema: config.DATABASE_SCHEMA } : {}),
  };
  const bounded = Boolean(options.serving && config.DATABASE_URL);
  try {
    if (bounded && options.migrate !== false) {
      // A migration (an index on a large table) may take longer than any statement should
      // while serving: it runs first, on connections of its own without the bounds.
      const migrating = await openStore(settings);
      try {
        await migrateToLatest(migrating);
      } finally {
        await migrating.close();
      }
    }
    store = await openStore({
      ...settings,
      ...(bounded
        ? {
            timeouts: {
              connectMs: config.DATABASE_CONNECT_TIMEOUT_MS,
              statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
            },
          }
        : {}),
    });
    if (options.migrate !== false && !bounded) await migrateToLatest(store);
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    ...store,
    close: async () => {
      await store.close();
      unlock();
    },
  };
}
