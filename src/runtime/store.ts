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
    /**
     * Start-up work (the demo's seed) that may take longer than a request should: run after
     * the migrations, before the bounds apply (on connections of its own when serving).
     */
    prepare?: (store: Store) => Promise<void>;
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
    if (bounded && (options.migrate !== false || options.prepare)) {
      // A migration (an index on a large table) or the demo's seed may take longer than any
      // statement should while serving: they run first, on connections without the bounds.
      const preparing = await openStore(settings);
      try {
        if (options.migrate !== false) await migrateToLatest(preparing);
        await options.prepare?.(preparing);
      } finally {
        await preparing.close();
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
    if (!bounded) {
      try {
        if (options.migrate !== false) await migrateToLatest(store);
        await options.prepare?.(store);
      } catch (error) {
        // A refusal at start-up (a secret it cannot open) must not leave the database open.
        await store.close();
        throw error;
      }
    }
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
