import { loadConfig } from "../config/config.js";
import { openConfiguredStore } from "../runtime/store.js";
/**
 * Runs a command against the configured database. On PGlite the server must be stopped
 * (the data folder is locked); on PostgreSQL the CLI works beside a running server.
 */
export async function withStore(run, options = {}) {
    const config = loadConfig();
    const store = await openConfiguredStore(config, options);
    try {
        return await run(store);
    }
    finally {
        await store.close();
    }
}
export function printJson(value) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
/** Commander collector for repeatable or comma-separated options. */
export function list(value, previous = []) {
    return [
        ...previous,
        ...value
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean),
    ];
}
