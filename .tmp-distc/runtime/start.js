import { systemClock } from "../core/clock.js";
import { buildServer } from "../http/server.js";
import { followKeyRevocations } from "../identity/key-revocations.js";
import { createAppContext } from "./context.js";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "./demo.js";
import { createLogger } from "./logger.js";
import { openConfiguredStore } from "./store.js";
import { startWorkers } from "./workers.js";
/** Opens and migrates the database, seeds the demo once if asked, and serves. */
export async function startTapis(config) {
    const log = createLogger(config.LOG_LEVEL);
    const store = await openConfiguredStore(config);
    const ctx = createAppContext(store, config, systemClock, log);
    const seeded = config.TAPIS_DEMO ? await seedDemo(store.db, ctx.clock()) : false;
    const server = await buildServer(ctx);
    await ctx.banks.load();
    ctx.banks.follow();
    const workers = config.TAPIS_WORKERS ? startWorkers(ctx) : null;
    const unfollowRevocations = await followKeyRevocations(store);
    let stopping = null;
    const stop = () => {
        stopping ??= (async () => {
            await server.app.close();
            await workers?.stop();
            ctx.banks.stop();
            await unfollowRevocations();
            await store.close();
        })();
        return stopping;
    };
    let address;
    try {
        address = await server.app.listen({ port: config.PORT, host: config.HOST });
    }
    catch (error) {
        // The port is taken, say: what was started must not keep the process alive.
        await stop();
        throw error;
    }
    const url = address.replace('://[::1]', '://localhost');
    printBanner({
        url,
        config,
        database: store.kind === 'pglite' ? `embedded PGlite at ${store.location}` : `PostgreSQL at ${store.location}`,
        seeded,
    });
    return { ctx, server, url, stop };
}
function printBanner(info) {
    const lines = [
        '',
        `tapis is running at ${info.url}`,
        `  API docs:  ${info.url}/docs   (OpenAPI: ${info.url}/openapi.json)`,
        `  database:  ${info.database}`,
    ];
    if (info.config.TAPIS_DEMO) {
        lines.push(`  demo data: ${info.seeded ? 'seeded now' : 'already present'}; every demo login's password is ${DEMO_PASSWORD}`);
        for (const login of demoLogins())
            lines.push(`    ${login.email.padEnd(28)} ${login.role.padEnd(22)} ${login.org}`);
    }
    lines.push('');
    process.stdout.write(lines.join('\n') + '\n');
}
