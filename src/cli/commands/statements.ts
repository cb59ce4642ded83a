import type { Command } from 'commander';

/** tapis statements export --from DATE --to DATE [--out FILE] */
export function register(program: Command): void {
  program
    .command('statements')
    .description('statements of reasons (DSA Art. 17) for the DSA Transparency Database')
    .command('export')
    .description(
      'write the statements issued in a period whose effect reaches the EU/EEA, one per line (JSON Lines), in the database’s API shape',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (default: 1 January of this year)')
    .option('--to <date>', 'last day, YYYY-MM-DD, included (default: 31 December)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (o: { from?: string; to?: string; out?: string }) => {
      // Loaded on use: the CLI starts without the database code.
      const [{ withStore }, { parsePeriod }, { statementLines }, { reportCliError }, fs] = await Promise.all([
        import('../context.ts'),
        import('../../transparency/period.ts'),
        import('../../transparency/statement-export.ts'),
        import('../../transparency/cli-errors.ts'),
        import('node:fs'),
      ]);
      let period: ReturnType<typeof parsePeriod>;
      try {
        period = parsePeriod(o, new Date());
      } catch (error) {
        return reportCliError(error);
      }
      const count = await withStore(async (store) => {
        const file = o.out ? fs.createWriteStream(o.out) : null;
        const out: NodeJS.WritableStream = file ?? process.stdout;
        let n = 0;
        for await (const line of statementLines(store.db, period)) {
          n++;
          if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        if (file)
          await new Promise<void>((resolve, reject) =>
            file.end((e?: Error | null) => (e ? reject(e) : resolve())),
          );
        return n;
      });
      process.stderr.write(
        `${count} statement(s) from ${period.from} to ${period.to}${o.out ? ` in ${o.out}` : ''}\n`,
      );
    });
}
