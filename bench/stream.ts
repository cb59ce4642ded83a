import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { createAppContext } from '../src/runtime/context.ts';
import { createLogger } from '../src/runtime/logger.ts';
import { scanBatch } from '../src/scanning/scan-batch.ts';
import { openStore, quoteIdent } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { ensureContentStreams } from '../src/stream/nats/consumer.ts';
import { natsNames } from '../src/stream/nats/subjects.ts';
import { prepareEvent } from '../src/stream/prepare.ts';
import { machine } from './bench-support.ts';

/**
 * `npm run bench:stream`: posts scanned per second on PostgreSQL, in three set-ups in one
 * run: in-process (the scanner called as the in-database queue's handler calls it), one
 * `tapis worker` on NATS JetStream, two workers. Each post is text through the lexicon and
 * one precomputed PDQ hash, against a bank of 1,000,000 PDQ hashes. Targets: ≥ 5,000
 * posts/s per worker; two workers ≥ 1.6× one. A worker's rate is timed from its first
 * committed post to the last (its start-up and bank load are not counted). Prints figures;
 * asserts nothing. Its schema and streams are its own, removed at the end.
 *
 *   npm run bench:stream -- --posts 20000 --bank 1000000
 *   BENCH_STREAM_PROFILE=/tmp/prof npm run bench:stream   # and a CPU profile of each worker
 */
const { values: flags } = parseArgs({
  options: {
    posts: { type: 'string', default: '20000' },
    bank: { type: 'string', default: '1000000' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'nats-url': { type: 'string', default: process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222' },
  },
});
const POSTS = Number(flags.posts);
const BANK = Number(flags.bank);
const url = flags['database-url']!;
const natsUrl = flags['nats-url']!;
const run = randomBytes(4).toString('hex');
const schema = `bench_stream_${run}`;
const bin = path.resolve(import.meta.dirname, '../bin/tapis.js');
const texts = [
  'Synthetic update on the flood relief effort in Bandung, volunteers needed this weekend.',
  'Synthetic: harga cabai naik lagi di pasar, warga mengeluh ke pemerintah daerah.',
  'Synthetic news digest: the match ended two all after a late penalty.',
];

function pdqOf(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function events(tag: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'post_created',
    platform: 'telegram',
    id: String(i + 1),
    channel: `bench_${tag}_${i % 500}`,
    text: `${texts[i % texts.length]} #${i}`,
    media: [{ pdq: pdqOf(`${tag}-${i}`) }],
    forwarded_from: null,
    posted_at: '2026-11-28T07:00:00.000Z',
  }));
}

const store = await openStore({ databaseUrl: url, schema, poolSize: 10 });
const workers: ChildProcess[] = [];
const nc = await connect({ servers: natsUrl });
const streams: string[] = [];
// Interrupted (Ctrl-C, a timeout): the workers go with it, and the finally below cleans up.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    for (const child of workers) child.kill('SIGKILL');
  });
try {
  await migrateToLatest(store);
  const started = Date.now();
  await sql`insert into banks (id, name, description, enabled, policy, created_by, created_at, updated_at)
    values ('00000000-0000-4000-8000-00000000be0c', 'bench-bank', null, true, 'review', 'bench', now(), now())`.execute(
    store.db,
  );
  await sql`insert into bank_entries (id, bank_id, signal_type, value, source, added_by, added_at)
    select gen_random_uuid(), '00000000-0000-4000-8000-00000000be0c', 'pdq', encode(sha256(('bank-' || i)::bytea), 'hex'),
      'bench', 'bench', now()
    from generate_series(1, ${BANK}) as i`.execute(store.db);
  process.stdout.write(
    `bank of ${BANK.toLocaleString('en')} PDQ hashes written in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const env = {
    ...process.env,
    LOG_LEVEL: 'error',
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    TAPIS_NATS_URL: natsUrl,
  };
  const config = loadConfig({ ...env, TAPIS_NATS_STREAM: 'UNUSED', LOG_LEVEL: 'error' } as NodeJS.ProcessEnv);
  const ctx = createAppContext(store, config, systemClock, createLogger('error'));
  await ctx.banks.load();

  // 1. In-process: prepare and scan in batches of 1,000, as the queue's handler does.
  const inProcessEvents = events('inproc', POSTS);
  const t0 = performance.now();
  for (let i = 0; i < POSTS; i += 1000) {
    const prepared = await Promise.all(inProcessEvents.slice(i, i + 1000).map((e) => prepareEvent(e)));
    await scanBatch(
      ctx,
      prepared.flatMap((p) => (p.ok ? [p.event] : [])),
      'api',
    );
  }
  const inProcess = POSTS / ((performance.now() - t0) / 1000);

  // 2 and 3. NATS: the stream is filled first, then the workers drain it.
  async function natsRun(tag: string, count: number): Promise<number> {
    const names = natsNames({
      TAPIS_NATS_STREAM: `BENCH_${run}_${tag}`,
      TAPIS_NATS_SUBJECT: `b${run}${tag}.content`,
    });
    await ensureContentStreams(nc, names);
    streams.push(names.stream, names.deadStream);
    const js = jetstream(nc);
    const list = events(tag, POSTS);
    for (let i = 0; i < list.length; i += 2000)
      await Promise.all(
        list.slice(i, i + 2000).map((e) => js.publish(`b${run}${tag}.content.telegram`, JSON.stringify(e))),
      );
    // All of the schema's rows (an index-only count, cheap at 10 Hz), less those before this set-up.
    const total = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from content_events`.execute(store.db)).rows[0]!.n,
      );
    const before = await total();
    const countOf = async () => (await total()) - before;
    for (let w = 0; w < count; w++) {
      // BENCH_STREAM_PROFILE=DIR: each worker writes a V8 CPU profile there when it stops.
      const profile = process.env.BENCH_STREAM_PROFILE;
      const args = profile ? ['--cpu-prof', '--cpu-prof-dir', profile, bin, 'worker'] : [bin, 'worker'];
      workers.push(
        spawn(process.execPath, args, {
          env: { ...env, TAPIS_NATS_STREAM: names.stream, TAPIS_NATS_SUBJECT: `b${run}${tag}.content` },
          stdio: 'ignore',
        }),
      );
    }
    let first = 0;
    let firstAt = 0;
    for (;;) {
      const n = await countOf();
      if (n > 0 && firstAt === 0) {
        first = n;
        firstAt = performance.now();
      }
      if (n >= POSTS) break;
      if (interrupted) throw new Error('interrupted');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const rate = (POSTS - first) / ((performance.now() - firstAt) / 1000);
    for (const child of workers.splice(0)) child.kill('SIGTERM');
    return rate;
  }
  const one = await natsRun('one', 1);
  const two = await natsRun('two', 2);

  const target = (v: number, t: number) => (v >= t ? 'met' : 'NOT met');
  process.stdout.write(
    [
      '',
      `bench:stream, ${POSTS.toLocaleString('en')} posts per set-up (text through the lexicon + one PDQ), bank of ${BANK.toLocaleString('en')} PDQ, PostgreSQL`,
      machine(),
      `  in-process            ${inProcess.toFixed(0).padStart(7)} posts/s   (target ≥ 5,000: ${target(inProcess, 5000)})`,
      `  1 NATS worker         ${one.toFixed(0).padStart(7)} posts/s   (target ≥ 5,000: ${target(one, 5000)}; ${(one / inProcess).toFixed(2)}× in-process)`,
      `  2 NATS workers        ${two.toFixed(0).padStart(7)} posts/s   (${(two / 2).toFixed(0)} per worker)`,
      `  ratio 2 workers / 1   ${(two / one).toFixed(2)}×          (target ≥ 1.6×: ${target(two / one, 1.6)})`,
      '',
    ].join('\n'),
  );
} finally {
  for (const child of workers) child.kill('SIGKILL');
  const jsm = await jetstreamManager(nc);
  for (const s of streams) await jsm.streams.delete(s).catch(() => false);
  await nc.close();
  await store.close();
  const admin = await openStore({ databaseUrl: url, poolSize: 1 });
  await sql.raw(`drop schema if exists ${quoteIdent(schema)} cascade`).execute(admin.db);
  await admin.close();
}
