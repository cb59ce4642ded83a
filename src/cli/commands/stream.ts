import type { Command } from 'commander';

/**
 * tapis scan FILE.jsonl | sweep | worker: the automated path from the command line. Heavy
 * modules load inside each action, so that `tapis --help` stays quick.
 */
const SCAN_HELP = `
FILE.jsonl: one content event per line, the shape POST /v1/content takes:
  {"type": "post_created", "platform": "telegram", "id": "…", "channel": "…", "text": "…",
   "media": [{"pdq": "…"} | {"sha256": "…"} | {"md5": "…"} | {"base64": "…", "mime": "…"}],
   "forwarded_from": null, "posted_at": "…"}
Runs on the data folder (stop the server first) or on DATABASE_URL. Bad lines are reported on
stderr with their number and reason, and make the exit status 1; the rest are scanned. Actions
the banks' policies take are queued in the outbox and delivered by the server's workers.
With --json, the last line of stdout is {"scanned", "matched", "cases", "actions"}.`;

async function openContext() {
  const [{ loadConfig }, { openConfiguredStore }, { createAppContext }, { createLogger }, { systemClock }] =
    await Promise.all([
      import('../../config/config.ts'),
      import('../../runtime/store.ts'),
      import('../../runtime/context.ts'),
      import('../../runtime/logger.ts'),
      import('../../core/clock.ts'),
    ]);
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr);
  const ctx = createAppContext(store, config, systemClock, log);
  await ctx.banks.load();
  return { ctx, store };
}

export function register(program: Command): void {
  program
    .command('scan')
    .description('scan a file of content events (JSON lines) against the banks and the lexicon')
    .argument('<file>', 'one content event per line')
    .option('--json', 'print the summary as one JSON object on the last line')
    .addHelpText('after', SCAN_HELP)
    .action(async (file: string, options: { json?: boolean }) => {
      const [{ scanFile }, cliProgress] = await Promise.all([
        import('../../stream/file-scan.ts'),
        import('cli-progress'),
      ]);
      const { ctx, store } = await openContext();
      const bar = process.stderr.isTTY
        ? new cliProgress.default.SingleBar(
            {
              clearOnComplete: true,
              stream: process.stderr,
              format: 'scanning {bar} {percentage}% | {value}/{total} bytes',
            },
            cliProgress.default.Presets.shades_classic,
          )
        : null;
      let started = false;
      let refused = 0;
      try {
        const summary = await scanFile(ctx, file, {
          onBadLine: (line, reason) => {
            bar?.stop();
            started = false;
            process.stderr.write(`tapis scan: ${file}:${line}: ${reason}\n`);
          },
          onProgress: (bytes, total) => {
            if (!bar) return;
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(bytes);
          },
        });
        bar?.stop();
        const { scanned, matched, cases, actions } = summary;
        if (options.json) process.stdout.write(`${JSON.stringify({ scanned, matched, cases, actions })}\n`);
        else
          process.stdout.write(
            `scanned ${scanned} event(s) (${summary.duplicates} already scanned, ${summary.refused} refused): ` +
              `${matched} matched, ${cases} new case(s), ${actions} automated action(s)\n`,
          );
        refused = summary.refused;
      } finally {
        await store.close();
      }
      // After the close: closing PGlite resets the exit code.
      if (refused > 0) process.exitCode = 1;
    });

  program
    .command('sweep')
    .description('sweep the content index with the entries of one bank, or of every bank')
    .option('--bank <name>', 'the bank (name or id); every bank when absent')
    .option('--json', 'print {"checked", "matched", "cases", "actions"} as JSON')
    .action(async (options: { bank?: string; json?: boolean }) => {
      const [{ sweepBank }, { findBank }] = await Promise.all([
        import('../../scanning/sweep.ts'),
        import('../../screening/banks/bank-store.ts'),
      ]);
      const { ctx, store } = await openContext();
      try {
        const bank = options.bank ? await findBank(ctx.db, options.bank) : null;
        const summary = await sweepBank(ctx, bank?.id ?? null);
        if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else
          process.stdout.write(
            `checked ${summary.checked} bank entr(ies): ${summary.matched} post(s) matched, ` +
              `${summary.cases} new case(s), ${summary.actions} automated action(s)\n`,
          );
      } finally {
        await store.close();
      }
    });

  program
    .command('worker')
    .description('consume content events from NATS JetStream (TAPIS_NATS_URL) and scan them, until stopped')
    .action(async () => {
      const { startContentConsumer } = await import('../../stream/nats/consumer.ts');
      const { followBankChanges } = await import('../../scanning/bank-freshness.ts');
      const { ctx, store } = await openContext();
      ctx.banks.follow(250);
      const unfollowBanks = await followBankChanges(store, ctx.banks, ctx.log);
      const consumer = await startContentConsumer(ctx);
      process.stderr.write(
        `tapis worker: consuming ${ctx.config.TAPIS_NATS_SUBJECT}.> (pid ${process.pid})\n`,
      );
      const stop = async (signal: string) => {
        ctx.log.info({ signal }, 'worker stopping');
        await consumer.stop();
        ctx.banks.stop();
        await unfollowBanks();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
