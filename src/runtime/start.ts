import type { Config } from '../config/config.ts';
import { systemClock } from '../core/clock.ts';
import { listenForMetrics, type MetricsListener } from '../http/metrics-listener.ts';
import { buildServer, type Server } from '../http/server.ts';
import { followKeyRevocations } from '../identity/key-revocations.ts';
import { followBankChanges } from '../scanning/bank-freshness.ts';
import { prepareStoredSecrets } from '../secrets/start-up.ts';
import { type AppContext, createAppContext } from './context.ts';
import { DEMO_PASSWORD, demoLogins, seedDemo } from './demo.ts';
import { seedDemoSituation } from './demo-situation.ts';
import { createLogger } from './logger.ts';
import { openConfiguredStore } from './store.ts';
import { startWorkers } from './workers.ts';

export interface Running {
  ctx: AppContext;
  server: Server;
  url: string;
  /** With TAPIS_METRICS_PORT set: where /metrics is served instead of the public port. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

/** Opens and migrates the database, seeds the demo once if asked, and serves. */
export async function startTapis(config: Config): Promise<Running> {
  const log = createLogger(config.LOG_LEVEL);
  let seeded = false;
  const store = await openConfiguredStore(config, {
    serving: true,
    // Seeding is start-up work, not a request: it is not held to the statement timeout.
    prepare: async (unbounded) => {
      const seeding = createAppContext(unbounded, config, systemClock, log);
      // Refuses to start on secrets it cannot open; seals plaintext ones once a key is set.
      await prepareStoredSecrets(unbounded.db, seeding.keyring, log, seeding.clock);
      if (!config.TAPIS_DEMO) return;
      seeded = await seedDemo(unbounded.db, seeding.clock());
      // The demo's live situation: channels, cases, history, an appeal (src/runtime/demo-situation.ts).
      await seedDemoSituation(seeding, seeding.clock());
    },
  });
  const ctx = createAppContext(store, config, systemClock, log);
  const server = await buildServer(ctx);
  await ctx.banks.load();
  ctx.banks.follow();
  const unfollowBanks = await followBankChanges(store, ctx.banks, log);
  const workers = config.TAPIS_WORKERS ? startWorkers(ctx) : null;
  const unfollowRevocations = await followKeyRevocations(store);

  let metricsListener: MetricsListener | null = null;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await metricsListener?.close();
      await server.app.close();
      await workers?.stop();
      ctx.banks.stop();
      await unfollowBanks();
      await unfollowRevocations();
      await store.close();
    })();
    return stopping;
  };
  let address: string;
  try {
    address = await server.app.listen({ port: config.PORT, host: config.HOST });
    if (config.TAPIS_METRICS_PORT !== undefined)
      metricsListener = await listenForMetrics(server.metrics, {
        port: config.TAPIS_METRICS_PORT,
        host: config.TAPIS_METRICS_HOST,
        token: config.TAPIS_METRICS_TOKEN,
      });
  } catch (error) {
    // The port is taken, say: what was started must not keep the process alive.
    await stop();
    throw error;
  }
  const url = address.replace('://[::1]', '://localhost');

  printBanner({
    url,
    config,
    database:
      store.kind === 'pglite' ? `embedded PGlite at ${store.location}` : `PostgreSQL at ${store.location}`,
    seeded,
    metricsUrl: metricsListener?.url ?? null,
  });
  return { ctx, server, url, metricsUrl: metricsListener?.url ?? null, stop };
}

function printBanner(info: {
  url: string;
  config: Config;
  database: string;
  seeded: boolean;
  metricsUrl: string | null;
}): void {
  const lines = [
    '',
    `tapis is running at ${info.url}`,
    `  API docs:  ${info.url}/docs   (OpenAPI: ${info.url}/openapi.json)`,
    `  database:  ${info.database}`,
  ];
  if (info.metricsUrl) lines.push(`  metrics:   ${info.metricsUrl} (TAPIS_METRICS_PORT)`);
  if (info.config.TAPIS_DEMO && !info.config.TAPIS_SECRET_KEY)
    lines.push('  secrets:   sealed with the published demo key; set TAPIS_SECRET_KEY outside a demo');
  if (info.config.TAPIS_DEMO) {
    lines.push(
      `  demo data: ${info.seeded ? 'seeded now' : 'already present'}; every demo login's password is ${DEMO_PASSWORD}`,
    );
    for (const login of demoLogins())
      lines.push(`    ${login.email.padEnd(28)} ${login.role.padEnd(22)} ${login.org}`);
    lines.push(
      `  demo platform: ${info.url}/v1/demo-platform/channels (decisions act there)`,
      '  first steps: README.md, "Your first notice, end to end" (the ministry\'s key, a notice, a decision, an appeal)',
    );
  }
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
}
