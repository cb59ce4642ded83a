import type { Command } from 'commander';

/** tapis report --from DATE --to DATE --format json|csv|html --out DIR */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      'the transparency report (DSA Arts. 15 and 24, TCO Art. 7) for a period, by default this calendar year, written to a folder',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (default: 1 January of this year)')
    .option('--to <date>', 'last day, YYYY-MM-DD, included (default: 31 December)')
    .option(
      '--format <format>',
      'json, csv (one file per table) or html (the public page, both languages)',
      'json',
    )
    .requiredOption('--out <dir>', 'the folder to write to (created if missing)')
    .action(async (o: { from?: string; to?: string; format: string; out: string }) => {
      // Loaded on use: the CLI starts without the database code.
      const [
        { withStore },
        { parsePeriod },
        { buildReport },
        { reportFormats, writeReport },
        { reportCliError },
        errors,
      ] = await Promise.all([
        import('../context.ts'),
        import('../../transparency/period.ts'),
        import('../../transparency/report/report.ts'),
        import('../../transparency/report/files.ts'),
        import('../../transparency/cli-errors.ts'),
        import('../../core/errors.ts'),
      ]);
      let period: ReturnType<typeof parsePeriod>;
      try {
        if (!(reportFormats as readonly string[]).includes(o.format))
          throw errors.invalid(`'${o.format}' is not a format: json, csv or html`, [
            { pointer: '/format', detail: 'json, csv or html' },
          ]);
        period = parsePeriod(o, new Date());
      } catch (error) {
        return reportCliError(error);
      }
      const report = await withStore((store) => buildReport(store.db, period, new Date()));
      const files = writeReport(report, o.format as (typeof reportFormats)[number], o.out);
      process.stdout.write(`report ${period.from} to ${period.to}: ${files.length} file(s) in ${o.out}\n`);
      for (const file of files) process.stdout.write(`  ${file}\n`);
    });
}
