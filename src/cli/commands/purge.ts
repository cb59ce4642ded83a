import type { Command } from 'commander';
import type { PurgeReport } from '../../preservation/purge.ts';
import { printJson, withStore } from '../context.ts';

/**
 * tapis purge [--dry-run]: what the hourly purge job does, at once. Removes the bytes of
 * preserved content and evidence past their preservation period (TCO Art. 6), keeps their
 * hashes and metadata, and skips cases under a legal hold or still being worked.
 */
interface PurgeCliOptions {
  dryRun?: boolean;
  json?: boolean;
  limit: string;
}

const BATCH = 50;

export function register(program: Command): void {
  program
    .command('purge')
    .description(
      'remove the bytes of content past its preservation period; hashes, metadata and legal holds stay',
    )
    .option('--dry-run', 'list what would be purged, and change nothing')
    .option('--json', 'print the report as JSON')
    .option('--limit <cases>', 'look at no more than this many cases', '10000')
    .action(async (o: PurgeCliOptions) => {
      const [{ loadConfig }, { cliActor }, { planPurge, runPurge }] = await Promise.all([
        import('../../config/config.ts'),
        import('../../identity/actor.ts'),
        import('../../preservation/purge.ts'),
      ]);
      const config = loadConfig();
      const limit = Number.parseInt(o.limit, 10);
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error('--limit: a whole number of cases, at least 1');
      const now = new Date();
      const preservationDays = config.TAPIS_PRESERVATION_DAYS;
      const report = await withStore(async (store) => {
        if (o.dryRun) return planPurge(store.db, { now, preservationDays, batchSize: limit });
        // Batches until a pass finds nothing more, as the scheduled job does.
        const passes: PurgeReport[] = [];
        let seen = 0;
        while (seen < limit) {
          const pass = await runPurge(store.db, {
            now,
            preservationDays,
            actor: cliActor,
            batchSize: Math.min(BATCH, limit - seen),
          });
          if (pass.cases.length === 0) break;
          passes.push(pass);
          seen += pass.cases.length;
        }
        return merge(passes);
      });
      if (o.json) return printJson({ dry_run: Boolean(o.dryRun), ...report });
      const verb = o.dryRun ? 'would purge' : 'purged';
      if (report.cases.length === 0) {
        process.stdout.write(
          `nothing to purge: no content past its ${preservationDays}-day preservation period outside a legal hold\n`,
        );
        return;
      }
      for (const c of report.cases) {
        process.stdout.write(
          `case ${c.case_id}: ${verb} ${c.evidence.length} evidence, ${c.preserved_content.length} preserved content\n`,
        );
      }
      process.stdout.write(
        `${verb} ${report.evidence} evidence and ${report.preserved_content} preserved content in ${report.cases.length} case(s)${o.dryRun ? '' : `; ${report.blobs_released} stored file(s) released`}\n`,
      );
    });
}

function merge(passes: PurgeReport[]): PurgeReport {
  return {
    cases: passes.flatMap((p) => p.cases),
    evidence: passes.reduce((n, p) => n + p.evidence, 0),
    preserved_content: passes.reduce((n, p) => n + p.preserved_content, 0),
    blobs_released: passes.reduce((n, p) => n + p.blobs_released, 0),
  };
}
