import type { Command } from 'commander';
import { withStore } from '../context.ts';

/** tapis serve | migrate | seed-demo */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the server (migrates the database first)')
    .option('--demo', 'seed the demo organisations and users once (same as TAPIS_DEMO=true)')
    .option('--port <port>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to listen on (HOST)')
    .action(async (options: { demo?: boolean; port?: string; host?: string }) => {
      const [{ loadConfig }, { startTapis }] = await Promise.all([
        import('../../config/config.ts'),
        import('../../runtime/start.ts'),
      ]);
      const config = loadConfig({
        ...process.env,
        ...(options.demo ? { TAPIS_DEMO: 'true' } : {}),
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      });
      const running = await startTapis(config);
      const shutdown = (signal: string) => {
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
      const { migrateToLatest } = await import('../../store/migrate.ts');
      const applied = await withStore(async (store) => (await migrateToLatest(store)).applied, {
        migrate: false,
        create: true,
      });
      process.stdout.write(
        applied.length ? `applied ${applied.join(', ')}\n` : 'the database is up to date\n',
      );
    });

  program
    .command('seed-demo')
    .description('add the demo organisations and users (once per database)')
    .action(async () => {
      const { seedDemo } = await import('../../runtime/demo.ts');
      const seeded = await withStore((store) => seedDemo(store.db, new Date()), { create: true });
      process.stdout.write(seeded ? 'demo data seeded\n' : 'demo data was already there\n');
    });
}
