import { loadConfig } from "../../config/config.js";
import { seedDemo } from "../../runtime/demo.js";
import { startTapis } from "../../runtime/start.js";
import { migrateToLatest } from "../../store/migrate.js";
import { withStore } from "../context.js";
/** tapis serve | migrate | seed-demo */
export function register(program) {
    program
        .command('serve')
        .description('run the server (migrates the database first)')
        .option('--demo', 'seed the demo organisations and users once (same as TAPIS_DEMO=true)')
        .option('--port <port>', 'port to listen on (PORT)')
        .option('--host <host>', 'address to listen on (HOST)')
        .action(async (options) => {
        const config = loadConfig({
            ...process.env,
            ...(options.demo ? { TAPIS_DEMO: 'true' } : {}),
            ...(options.port ? { PORT: options.port } : {}),
            ...(options.host ? { HOST: options.host } : {}),
        });
        const running = await startTapis(config);
        const shutdown = (signal) => {
            running.ctx.log.info({ signal }, 'stopping');
            void running.stop().then(() => process.exit(0));
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
    program
        .command('migrate')
        .description('apply pending database migrations')
        .action(async () => {
        const applied = await withStore(async (store) => (await migrateToLatest(store)).applied, {
            migrate: false,
        });
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'the database is up to date\n');
    });
    program
        .command('seed-demo')
        .description('add the demo organisations and users (once per database)')
        .action(async () => {
        const seeded = await withStore((store) => seedDemo(store.db, new Date()));
        process.stdout.write(seeded ? 'demo data seeded\n' : 'demo data was already there\n');
    });
}
