import { openStore } from "../store/db.js";
import { migrateToLatest } from "../store/migrate.js";
import { lockDataDir } from "./data-dir-lock.js";
/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export async function openConfiguredStore(config, options = {}) {
    const unlock = config.DATABASE_URL ? () => { } : lockDataDir(config.TAPIS_DATA_DIR);
    let store;
    try {
        store = await openStore({
            databaseUrl: config.DATABASE_URL,
            dataDir: config.TAPIS_DATA_DIR,
            poolSize: config.DATABASE_POOL_SIZE,
            ...(config.DATABASE_SCHEMA ? { schema: config.DATABASE_SCHEMA } : {}),
        });
        if (options.migrate !== false)
            await migrateToLatest(store);
    }
    catch (error) {
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
