import type { Command } from 'commander';
import { printJson, withStore } from '../context.ts';

/** tapis audit verify */
export function register(program: Command): void {
  program
    .command('audit')
    .description('the audit log')
    .command('verify')
    .description(
      'walk the hash chain; exits non-zero and names the first entry altered, removed or reordered',
    )
    .option('--json', 'print the outcome as JSON')
    .action(async (o: { json?: boolean }) => {
      const [{ default: cliProgress }, { verifyAuditChain }] = await Promise.all([
        import('cli-progress'),
        import('../../audit/verify.ts'),
      ]);
      const bar =
        process.stderr.isTTY && !o.json
          ? new cliProgress.SingleBar({ clearOnComplete: true }, cliProgress.Presets.shades_classic)
          : null;
      const outcome = await withStore((store) =>
        verifyAuditChain(store.db, (checked, total) => {
          if (!bar) return;
          if (checked <= 2000) bar.start(total, 0);
          bar.update(checked);
        }),
      );
      bar?.stop();
      if (o.json) printJson(outcome);
      if (outcome.ok) {
        if (!o.json)
          process.stdout.write(
            `audit chain intact: ${outcome.checked} entries, head ${outcome.head?.seq ?? 0} ${outcome.head?.hash ?? ''}\n`,
          );
        return;
      }
      process.stderr.write(`audit chain broken at entry ${outcome.fault!.seq}: ${outcome.fault!.detail}\n`);
      process.exitCode = 1;
    });
}
