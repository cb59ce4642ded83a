import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';
import { parsePeriod } from '../src/transparency/period.ts';
import { buildReport } from '../src/transparency/report/report.ts';

/**
 * `npm run bench:report`: the transparency report for 2026 over what `npm run seed:load`
 * wrote (1,000,000 notices by default), beside a plain count(*) over the same notices, in
 * the same run, and the ratio to the 5 s target. The per-notice times come from
 * report_notice_times (migration 1200), kept at write time; before it, the same report
 * rebuilt them from five tables at each run (236 s over 1M notices, under load). Target:
 * under 5 s. Prints numbers; asserts nothing.
 *
 *   npm run bench:report -- --schema load_report --runs 3
 */
const { values: flags } = parseArgs({
  options: {
    schema: { type: 'string', default: 'load_report' },
    runs: { type: 'string', default: '3' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const runs = Number(flags.runs);
const store = await openStore({ databaseUrl: flags['database-url']!, schema: flags.schema!, poolSize: 4 });
const period = parsePeriod({ from: '2026-01-01', to: '2026-12-31' }, new Date());
const time = async <T>(run: () => Promise<T>) => {
  const t = performance.now();
  const value = await run();
  return { ms: performance.now() - t, value };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const counts: number[] = [];
const reports: number[] = [];
let notices = 0;
for (let i = 0; i < runs; i++) {
  const count = await time(() =>
    sql<{
      n: string;
    }>`select count(*) as n from notices where received_at >= ${period.start} and received_at < ${period.end}`.execute(
      store.db,
    ),
  );
  counts.push(count.ms);
  notices = Number(count.value.rows[0]!.n);
  const report = await time(() => buildReport(store.db, period, new Date()));
  reports.push(report.ms);
}
await store.close();
if (notices === 0) throw new Error(`no notices in schema ${flags.schema}: run npm run seed:load first`);
const r = median(reports);
const c = median(counts);
process.stdout.write(
  [
    `notices in 2026:          ${notices.toLocaleString('en')}`,
    `plain count(*):           ${c.toFixed(0)} ms (median of ${runs})`,
    `transparency report:      ${r.toFixed(0)} ms (median of ${runs}; runs ${reports.map((x) => x.toFixed(0)).join(', ')} ms)`,
    `report / count(*):        ${(r / c).toFixed(1)}×`,
    `target < 5000 ms:         ${r < 5000 ? 'met' : 'NOT met'} (report / target ${(r / 5000).toFixed(2)}×)`,
    '',
  ].join('\n'),
);
