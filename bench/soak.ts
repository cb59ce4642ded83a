import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

/**
 * `npm run bench:soak`: a long run of mixed load at half the measured intake capacity, to
 * see whether tapis slows down or grows over time (issue 15, decision 0015).
 *
 * It starts its own `tapis serve --demo` on a fresh PostgreSQL schema (dropped at the end),
 * measures the capacity in the same run, for SOAK_RAMP_SECONDS each: of intake (autocannon on
 * POST /v1/notices) and of the mix below (closed loop, 32 operations at once), then sends the
 * mix open-loop at half the lower of the two for SOAK_MINUTES: notices
 * (60%), reads of the notice list and of a case (28%), a reviewer's claim and decision,
 * enforced on the demo platform (10%), and 10-row bulk uploads (2%); every notice is also
 * delivered to a local webhook receiver. Each minute it prints p50/p99 latency and the
 * server's RSS, heap used and heap kept after a full collection (each the minute's highest of
 * readings every 5 s); at the end, the last minute's p99 against the first's (target ≤ 2×) and
 * the growth from the first minute's highest RSS to the last minute's (target ≤ 20%).
 *
 *   npm run bench:soak                       # 10 minutes
 *   SOAK_MINUTES=3 npm run bench:soak        # a shorter check
 *
 * Settings: SOAK_MINUTES (10), SOAK_RAMP_SECONDS (10), SOAK_RATE (requests/s; skips the
 * capacity measurement), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * SOAK_KEEP_SCHEMA=1 (leave the schema behind, to EXPLAIN its queries afterwards),
 * SOAK_PROFILE=DIR (a CPU profile of the server, written when it stops), SOAK_NODE_ARGS (more
 * flags for the server's node: `--heapsnapshot-signal=SIGUSR2` to take heap snapshots),
 * SOAK_VACUUM=off (where the server's autovacuum is off, do not stand in for it; see
 * autovacuumStandIn).
 */
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const rampSeconds = Number(process.env.SOAK_RAMP_SECONDS ?? 10);
const fixedRate = process.env.SOAK_RATE ? Number(process.env.SOAK_RATE) : null;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `soak_${randomBytes(4).toString('hex')}`;
const run = randomBytes(3).toString('hex');
const bin = path.resolve(import.meta.dirname, '../bin/tapis.js');
const MAX_IN_FLIGHT = 256;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  DATABASE_SCHEMA: schema,
  LOG_LEVEL: 'warn',
  TAPIS_DEMO: 'true',
  TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
  TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
  TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
};

for (const [name, value] of Object.entries({ SOAK_MINUTES: minutes, SOAK_RAMP_SECONDS: rampSeconds }))
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  // SOAK_PROFILE=DIR: the server writes a V8 CPU profile there when it stops.
  // SOAK_NODE_ARGS: more flags for the server's node, e.g. --heapsnapshot-signal=SIGUSR2.
  const profile = process.env.SOAK_PROFILE;
  const extra = (process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...extra, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), bin, 'serve'];
  const child = spawn(process.execPath, args, {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    if (output.length < 100_000) output += chunk;
    process.stderr.write(chunk);
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const url = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (url && (await fetch(`${url}/readyz`).catch(() => null))?.status === 200) return { child, url };
    if (child.exitCode !== null) throw new Error(`tapis exited before it was ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`tapis was not ready within 90 s:\n${output}`);
}

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`tapis ${args.join(' ')}: ${stderr}`)),
    );
  });
}

let counter = 0;
const noticeBody = (prefix: string) => {
  const i = counter++;
  return {
    targets: [`https://t.me/${prefix}${run}_${i}/${(i % 9000) + 1}`],
    category: 'terrorism',
    legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
    explanation: 'Soak notice: the post recruits for a designated terrorist organisation.',
    reference: `SOAK-${run}-${i}`,
    good_faith: true,
  };
};

/** Notices/s the server sustains, measured with autocannon in this run. */
async function measureCapacity(url: string, key: string): Promise<number> {
  const result = await autocannon({
    url,
    connections: 32,
    duration: rampSeconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/notices',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(noticeBody('r')) }),
      },
    ],
  });
  return result['2xx'] / result.duration;
}

/** Operations/s of the mix with `workers` always waiting on one each: its capacity. */
async function closedLoop(
  operation: (pick: number, record: (ms: number, status: number) => void) => Promise<void>,
  seconds: number,
  workers: number,
): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        await operation(Math.random(), () => {});
        done++;
      }
    }),
  );
  return done / seconds;
}

interface Minute {
  latencies: number[];
  errors: number;
  non2xx: number;
  /** Requests not sent because MAX_IN_FLIGHT were already waiting: the server fell behind. */
  skipped: number;
  rss: number;
  heap: number;
  /** Heap used just after the latest full collection (tapis_nodejs_heap_after_full_gc_bytes). */
  live: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function memory(url: string): Promise<{ rss: number; heap: number; live: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: metric('tapis_process_resident_memory_bytes'),
    heap: metric('tapis_nodejs_heap_size_used_bytes'),
    live: metric('tapis_nodejs_heap_after_full_gc_bytes'),
  };
}

async function main(): Promise<void> {
  const cpu = cpus();
  process.stdout.write(
    `soak: PostgreSQL ${new URL(databaseUrl).host}, schema ${schema}; ${minutes} min; ` +
      `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n`,
  );
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  let server: { child: ChildProcess; url: string } | null = null;
  try {
    server = await startServer();
    const base = server.url;
    const key = await cli(['key', 'create', '--org', 'komdigi', '--name', 'soak']);
    const login = async (email: string) => {
      let response: Response;
      // A server still busy with its start-up work may shed a request: come back as told.
      for (let attempt = 1; ; attempt++) {
        response = await fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'tapis-demo-2026' }),
        });
        if (response.status !== 503 || attempt >= 5) break;
        await new Promise((resolve) =>
          setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)),
        );
      }
      if (response.status !== 200)
        throw new Error(`login as ${email}: ${response.status} ${await response.text()}`);
      const cookie = /tapis_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
      return { cookie, 'x-csrf-token': ((await response.json()) as { csrf_token: string }).csrf_token };
    };
    const reviewer = await login('peninjau@platform.example');
    const flaggerAdmin = await login('admin@komdigi.example');
    await fetch(`${base}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...flaggerAdmin },
      body: JSON.stringify({ url: hookUrl, description: 'soak receiver' }),
    });

    const cases: string[] = [];
    const auth = { authorization: `Bearer ${key}` };
    const json = { 'content-type': 'application/json' };
    const grounds = {
      illegal: {
        legal_ground: 'UU No. 5 Tahun 2018',
        explanation: 'Soak: propaganda of a designated group.',
      },
    };
    // Latencies per kind of request (ids and queries left out), printed at the end: which part
    // of the mix is slow when the whole is.
    const routes = new Map<string, number[]>();
    let measuring = false;
    const byRoute = (method: string, url: string, ms: number) => {
      if (measuring) return;
      const route = `${method} ${url.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`;
      const list = routes.get(route) ?? [];
      list.push(ms);
      routes.set(route, list);
    };
    /** One operation of the mix; returns the status of each request it made. */
    const operation = async (pick: number, record: (ms: number, status: number) => void) => {
      const timed = async (url: string, init: RequestInit) => {
        const began = performance.now();
        try {
          const response = await fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(30_000) });
          const body = await response.text();
          record(performance.now() - began, response.status);
          byRoute(init.method ?? 'GET', url, performance.now() - began);
          return { status: response.status, body };
        } catch {
          record(performance.now() - began, 0);
          return { status: 0, body: '' };
        }
      };
      if (pick < 0.6) {
        const answer = await timed('/v1/notices', {
          method: 'POST',
          headers: { ...json, ...auth },
          body: JSON.stringify(noticeBody('s')),
        });
        if (answer.status === 201) cases.push(JSON.parse(answer.body).targets[0].case_id);
        if (cases.length > 10_000) cases.splice(0, 5_000);
      } else if (pick < 0.76) {
        await timed('/v1/notices?limit=20', { headers: auth });
      } else if (pick < 0.88) {
        const id = cases[Math.floor(Math.random() * cases.length)];
        if (id) await timed(`/v1/cases/${id}`, { headers: reviewer });
      } else if (pick < 0.98) {
        const id = cases.pop();
        if (!id) return;
        const claim = await timed(`/v1/cases/${id}/claim`, { method: 'POST', headers: reviewer });
        if (claim.status === 200)
          await timed(`/v1/cases/${id}/decisions`, {
            method: 'POST',
            headers: { ...json, ...reviewer },
            body: JSON.stringify({ outcome: 'remove', grounds }),
          });
      } else {
        const lines = Array.from({ length: 10 }, () => JSON.stringify(noticeBody('b')));
        await timed('/v1/notices/bulk', {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', ...auth },
          body: `${lines.join('\n')}\n`,
        });
      }
    };

    // The rate: half the capacity, measured in this run. The notices-only figure is what the
    // intake takes in (group-committed, the cheapest request there is); the mix's own, measured
    // closed-loop, is lower, and an open loop above it only measures a queue growing. The soak
    // runs at half the lower of the two (decision 0015).
    let rate: number;
    if (fixedRate) {
      rate = fixedRate;
      process.stdout.write(`rate: ${rate} operations/s (SOAK_RATE)\n`);
    } else {
      const intake = await measureCapacity(base, key);
      measuring = true;
      const mix = await closedLoop(operation, rampSeconds, 32);
      measuring = false;
      rate = Math.max(1, Math.min(intake, mix) / 2);
      process.stdout.write(
        `capacity over ${rampSeconds} s: intake ${intake.toFixed(0)} notices/s; the mix ${mix.toFixed(0)} operations/s (closed loop, 32 at once)\n` +
          `soak rate: ${rate.toFixed(0)} operations/s (half the lower; a decision is a claim and a decision)\n`,
      );
    }
    const maintenance = await autovacuumStandIn();
    process.stdout.write(`${maintenance.note}\n`);
    const table: Minute[] = [];
    const statuses = new Map<number, number>();
    let inFlight = 0;
    const started = performance.now();
    const end = started + minutes * 60_000;
    let sent = 0;
    const minuteOf = () => Math.min(minutes - 1, Math.floor((performance.now() - started) / 60_000));
    const current = () => {
      const m = minuteOf();
      table[m] ??= { latencies: [], errors: 0, non2xx: 0, skipped: 0, rss: 0, heap: 0, live: 0 };
      return table[m];
    };
    const header = 'minute  requests  errors  non-2xx  skipped     p50      p99   RSS MB  heap MB  live MB';
    process.stdout.write(`\n${header}\n`);
    let printed = 0;
    // RSS and heap swing by ~100 MB with the collector: one reading a minute is noise. Each
    // minute keeps its highest of readings every 5 s, and the growth compares those.
    const sampleMemory = async (row: Minute) => {
      const now = await memory(base).catch(() => null);
      if (!now) return;
      row.rss = Math.max(row.rss, now.rss);
      row.heap = Math.max(row.heap, now.heap);
      if (now.live > 0) row.live = Math.max(row.live, now.live);
    };
    const sampler = setInterval(() => void sampleMemory(current()), 5_000);
    const printMinute = async (m: number) => {
      const row = table[m] ?? { latencies: [], errors: 0, non2xx: 0, skipped: 0, rss: 0, heap: 0, live: 0 };
      table[m] = row;
      await sampleMemory(row);
      const sorted = [...row.latencies].sort((a, b) => a - b);
      process.stdout.write(
        `${String(m + 1).padStart(6)}  ${String(sorted.length).padStart(8)}  ${String(row.errors).padStart(6)}  ${String(row.non2xx).padStart(7)}  ${String(row.skipped).padStart(7)}  ` +
          `${quantile(sorted, 0.5).toFixed(1).padStart(6)}  ${quantile(sorted, 0.99).toFixed(1).padStart(7)}  ` +
          `${(row.rss / 2 ** 20).toFixed(0).padStart(7)}  ${(row.heap / 2 ** 20).toFixed(0).padStart(7)}  ${(row.live / 2 ** 20).toFixed(0).padStart(7)}\n`,
      );
    };
    // Open loop: requests leave on schedule whether or not earlier ones were answered.
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      while (sent < due) {
        sent++;
        const row = current();
        if (inFlight >= MAX_IN_FLIGHT) {
          row.skipped++;
          continue;
        }
        inFlight++;
        void operation(Math.random(), (ms, status) => {
          const into = current();
          into.latencies.push(ms);
          if (status === 0) into.errors++;
          else if (status >= 300) {
            into.non2xx++;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }).finally(() => {
          inFlight--;
        });
      }
      const m = minuteOf();
      if (m > printed) {
        await printMinute(printed);
        printed = m;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(sampler);
    await maintenance.stop();
    await printMinute(minutes - 1);

    const p99 = (m: Minute | undefined) =>
      quantile(
        [...(m?.latencies ?? [])].sort((a, b) => a - b),
        0.99,
      );
    const first = table[0];
    const last = table[minutes - 1];
    const ratio = p99(last) / p99(first);
    const growth = last && first ? last.rss / first.rss - 1 : Number.NaN;
    const heapGrowth = last && first ? last.heap / first.heap - 1 : Number.NaN;
    const liveGrowth = last && first ? last.live / first.live - 1 : Number.NaN;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    process.stdout.write(
      [
        '',
        'latency by request (all minutes): count, p50, p99 ms',
        ...[...routes].map(([route, list]) => {
          const sorted = [...list].sort((a, b) => a - b);
          return `  ${route.padEnd(28)} ${String(sorted.length).padStart(7)} ${quantile(sorted, 0.5).toFixed(1).padStart(8)} ${quantile(sorted, 0.99).toFixed(1).padStart(8)}`;
        }),
        '',
        `p99, last minute ÷ first: ${p99(last).toFixed(1)} ms ÷ ${p99(first).toFixed(1)} ms = ${ratio.toFixed(2)}× (target ≤ 2×: ${verdict(ratio <= 2)})`,
        `memory growth (highest RSS of the first minute → of the last, read every 5 s): ${(first!.rss / 2 ** 20).toFixed(0)} MB → ${(last!.rss / 2 ** 20).toFixed(0)} MB = ${(growth * 100).toFixed(1)}% (target ≤ 20%: ${verdict(growth <= 0.2)})`,
        `heap used, the same: ${(first!.heap / 2 ** 20).toFixed(0)} MB → ${(last!.heap / 2 ** 20).toFixed(0)} MB = ${(heapGrowth * 100).toFixed(1)}%`,
        `heap kept after a full collection (what a leak would raise), the same: ${(first!.live / 2 ** 20).toFixed(0)} MB → ${(last!.live / 2 ** 20).toFixed(0)} MB = ${(liveGrowth * 100).toFixed(1)}%`,
        `non-2xx answers by status: ${JSON.stringify(Object.fromEntries(statuses))} (503: the server shed load, a wait for a pooled connection or a statement passed DATABASE_CONNECT_TIMEOUT_MS or DATABASE_STATEMENT_TIMEOUT_MS)`,
        `notices in the database: ${await countNotices()}; load average now ${loadavg()[0]!.toFixed(1)} on ${cpu.length} cores`,
        minutes < 3 ? '(a run this short says little about growth; the target is for 10 minutes)' : '',
        '',
      ].join('\n'),
    );
    process.exitCode = ratio <= 2 && growth <= 0.2 ? 0 : 1;
  } finally {
    server?.child.kill('SIGTERM');
    if (server) await new Promise((resolve) => server!.child.once('exit', resolve));
    receiver.close();
    await dropSchema();
  }
}

async function countNotices(): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) as n from "${schema}".notices`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * A server with autovacuum off (this project's CI machine runs one) never clears the dead rows
 * of the soak's busiest tables (outbox, cases, report times) nor refreshes their statistics:
 * after a few minutes they hold more dead rows than live ones, and every statement on them
 * slows down. That is the server's setting, not tapis's behaviour, and no production server
 * runs so. Where it is off, the soak does what autovacuum would with its default settings:
 * once a minute (autovacuum_naptime), it vacuums each of its tables whose dead rows pass 50 +
 * 20% of its live ones and analyses each whose changes since the last analysis pass 50 + 10%,
 * throttled as autovacuum is (vacuum_cost_delay 2 ms). SOAK_VACUUM=off turns that off.
 */
async function autovacuumStandIn(): Promise<{ stop(): Promise<void>; note: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const on = (await client.query('show autovacuum')).rows[0].autovacuum === 'on';
  if (on || process.env.SOAK_VACUUM === 'off') {
    await client.end();
    return {
      stop: async () => {},
      note: on ? 'autovacuum is on' : 'autovacuum is off and SOAK_VACUUM=off: tables are never vacuumed',
    };
  }
  await client.query(`set vacuum_cost_delay = '2ms'`);
  let running: Promise<unknown> = Promise.resolve();
  const pass = async () => {
    const due = await client.query<{ name: string; vacuum: boolean; analyze: boolean }>(
      `select relname as name,
              n_dead_tup > 50 + 0.2 * n_live_tup as vacuum,
              n_mod_since_analyze > 50 + 0.1 * n_live_tup as analyze
         from pg_stat_user_tables where schemaname = $1`,
      [schema],
    );
    for (const { name, vacuum, analyze } of due.rows) {
      const table = `"${schema}"."${name}"`;
      if (vacuum) await client.query(`vacuum (analyze) ${table}`).catch(() => {});
      else if (analyze) await client.query(`analyze ${table}`).catch(() => {});
    }
  };
  const timer = setInterval(() => {
    running = running.then(pass);
  }, 60_000);
  return {
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => {});
      await client.end();
    },
    note: 'autovacuum is off on this server: the soak vacuums and analyses its tables as autovacuum would (each minute, default thresholds, throttled; SOAK_VACUUM=off: never)',
  };
}

async function dropSchema(): Promise<void> {
  if (process.env.SOAK_KEEP_SCHEMA === '1') {
    process.stdout.write(`schema ${schema} kept (SOAK_KEEP_SCHEMA=1); drop it when done\n`);
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

await main();
