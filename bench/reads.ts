import { parseArgs } from 'node:util';
import { ReadAuditBuffer } from '../src/audit/read-audit.ts';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { buildServer } from '../src/http/server.ts';
import { createAppContext } from '../src/runtime/context.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/runtime/demo.ts';
import { createLogger } from '../src/runtime/logger.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

/**
 * `npm run bench:reads`: the cost of auditing reads (src/audit/read-audit.ts). The same case
 * file (GET /v1/cases/:id) is read N times by a reviewer, once with the read audit as it
 * ships (buffered, flushed in batches; coalescing off so that every read is an entry, the
 * worst case) and once with the audit switched off, in the same process. The audited time
 * includes the last flush. Prints both and the ratio; asserts nothing.
 *
 *   npm run bench:reads -- --reads 2000 [--database-url postgres://postgres@127.0.0.1:5432/test]
 */
const { values: flags } = parseArgs({
  options: {
    reads: { type: 'string', default: process.env.CI ? '200' : '2000' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? '' },
  },
});
const reads = Number(flags.reads);
const url = flags['database-url'];
const store = url
  ? await openStore({ databaseUrl: url, schema: `bench_reads_${process.pid}`, poolSize: 10 })
  : await openStore({ dataDir: 'memory://' });
await migrateToLatest(store);
const config = loadConfig(
  { LOG_LEVEL: 'silent', TAPIS_DATA_DIR: '/nonexistent', TAPIS_DEMO: 'true' },
  '/nonexistent',
);
const log = createLogger('silent');
const ctx = createAppContext(store, config, systemClock, log);
// Every read an entry: no coalescing.
ctx.reads = new ReadAuditBuffer(store.db, log, { coalesceMs: 0 });
await seedDemo(store.db, systemClock());
const server = await buildServer(ctx);
const inject = server.app.inject.bind(server.app);

const login = async (email: string) => {
  const response = await inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password: DEMO_PASSWORD },
  });
  const cookie = response.cookies.find((c) => c.name === 'tapis_session')!;
  return { cookie: `tapis_session=${cookie.value}`, csrf: response.json().csrf_token as string };
};
const flagger = await login('analis@komdigi.example');
const reviewer = await login('peninjau@platform.example');
const notice = await inject({
  method: 'POST',
  url: '/v1/notices',
  headers: { cookie: flagger.cookie, 'x-csrf-token': flagger.csrf },
  payload: {
    targets: ['https://t.me/benchreads/1'],
    category: 'terrorism',
    explanation: 'Synthetic bench notice for read audit.',
    good_faith: true,
  },
});
const caseId = notice.json().targets[0].case_id as string;

async function run(): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < reads; i++) {
    const response = await inject({
      method: 'GET',
      url: `/v1/cases/${caseId}`,
      headers: { cookie: reviewer.cookie },
    });
    if (response.statusCode !== 200) throw new Error(`read failed: ${response.statusCode}`);
  }
  await ctx.reads.flush();
  return performance.now() - t;
}

const original = ctx.reads.record.bind(ctx.reads);
await run(); // warm-up, audited
const audited: number[] = [];
const plain: number[] = [];
for (let round = 0; round < 3; round++) {
  ctx.reads.record = original;
  audited.push(await run());
  ctx.reads.record = () => false;
  plain.push(await run());
}
const entries = await store.db
  .selectFrom('audit_log')
  .select((eb) => eb.fn.countAll<string>().as('n'))
  .where('action', '=', 'read.case')
  .executeTakeFirstOrThrow();
await server.app.close();
await store.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
const a = median(audited);
const p = median(plain);
process.stdout.write(
  [
    `database:                     ${url ? 'PostgreSQL' : 'PGlite (in memory)'}`,
    `reads per run:                ${reads}`,
    `read audit entries written:   ${Number(entries.n).toLocaleString('en')}`,
    `without read audit:           ${p.toFixed(0)} ms (${((p / reads) * 1000).toFixed(0)} µs per read; median of 3)`,
    `with read audit (batched):    ${a.toFixed(0)} ms (${((a / reads) * 1000).toFixed(0)} µs per read; median of 3)`,
    `audited / plain:              ${(a / p).toFixed(2)}×`,
    '',
  ].join('\n'),
);
