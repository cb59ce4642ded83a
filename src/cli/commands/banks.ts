import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withStore } from '../context.ts';

/** tapis banks import | export */
export function register(program: Command): void {
  const banks = program.command('banks').description('hash banks');
  banks
    .command('import')
    .description(
      'import a CSV (signal_type,signal,quality,source,case_id,note,…) into a bank, creating it if needed; reports rows it refused',
    )
    .requiredOption('--bank <name>', 'the bank')
    .option('--policy <policy>', 'for a new bank: review or auto_action', 'review')
    .option(
      '--action <outcome>',
      'for a new auto_action bank: remove, restrict_in_jurisdiction, suspend or label',
      'remove',
    )
    .argument('<file>', 'the CSV file')
    .action(async (file: string, o: { bank: string; policy: string; action: string }) => {
      if (o.policy !== 'review' && o.policy !== 'auto_action')
        throw new Error('--policy must be review or auto_action');
      const [{ default: cliProgress }, { cliActor }, { parseBankCsv }, { addEntries, createBank, findBank }] =
        await Promise.all([
          import('cli-progress'),
          import('../../identity/actor.ts'),
          import('../../screening/banks/bank-csv.ts'),
          import('../../screening/banks/bank-store.ts'),
        ]);
      const parsed = parseBankCsv(readFileSync(file, 'utf8'));
      const summary = await withStore(
        async (store) => {
          const now = new Date();
          const bank = await findBank(store.db, o.bank).catch(async () =>
            createBank(
              store.db,
              cliActor,
              {
                name: o.bank,
                policy: o.policy as 'review' | 'auto_action',
                ...(o.policy === 'auto_action' ? { auto_action: { outcome: o.action as 'remove' } } : {}),
              },
              now,
            ),
          );
          const bar = process.stderr.isTTY
            ? new cliProgress.SingleBar({ clearOnComplete: true }, cliProgress.Presets.shades_classic)
            : null;
          bar?.start(parsed.entries.length, 0);
          const counts = { added: 0, duplicate: 0, invalid: parsed.errors.length };
          const refused: string[] = parsed.errors.map((e) => `row ${e.row}: ${e.reason}`);
          for (let i = 0; i < parsed.entries.length; i += 5000) {
            const chunk = parsed.entries.slice(i, i + 5000);
            const outcomes = await addEntries(
              store.db,
              cliActor,
              bank.id,
              chunk.map((e) => e.entry),
              now,
            );
            outcomes.forEach((outcome, j) => {
              counts[outcome.status] += 1;
              if (outcome.status === 'invalid') refused.push(`row ${chunk[j]!.row}: ${outcome.reason}`);
            });
            bar?.update(Math.min(parsed.entries.length, i + chunk.length));
          }
          bar?.stop();
          return { ...counts, refused };
        },
        { create: true },
      );
      for (const line of summary.refused) process.stderr.write(`${line}\n`);
      process.stdout.write(
        `${o.bank}: ${summary.added} added, ${summary.duplicate} already there, ${summary.invalid} refused\n`,
      );
      if (summary.invalid > 0) process.exitCode = 2;
    });

  banks
    .command('export')
    .description('print a bank as CSV')
    .requiredOption('--bank <name>', 'the bank')
    .action(async (o: { bank: string }) => {
      const [{ bankCsv }, { findBank }] = await Promise.all([
        import('../../screening/banks/bank-csv.ts'),
        import('../../screening/banks/bank-store.ts'),
      ]);
      const text = await withStore(async (store) => {
        const bank = await findBank(store.db, o.bank);
        const rows = await store.db
          .selectFrom('bank_entries')
          .select(['signal_type', 'value', 'quality', 'source', 'added_by', 'added_at', 'case_id', 'note'])
          .where('bank_id', '=', bank.id)
          .where('removed_at', 'is', null)
          .orderBy('added_at')
          .execute();
        return bankCsv(rows);
      });
      process.stdout.write(text);
    });
}
