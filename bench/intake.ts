import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';

/**
 * `npm run bench:intake`: sustained notice intake on PostgreSQL, against the same server's
 * /healthz as a baseline, measured in the same run with the same connections and duration.
 *
 * It starts its own `tapis serve` on a fresh schema (dropped at the end), creates an API key
 * for the demo ministry, warms up, then runs autocannon against GET /healthz and against
 * POST /v1/notices, each notice naming a target no other notice names (so each opens a case).
 * It prints numbers; it asserts nothing. Target on a 2-core machine: ≥ 1,000 notices/s with
 * p99 < 100 ms, client, server and PostgreSQL sharing the two cores.
 *
 *   npm run bench:intake -- --duration 20 --connections 64
 */
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'keep-schema': { type: 'boolean', default: false },
    /** Write the server's CPU profile (node --cpu-prof) into this folder. */
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write(
    'usage: npm run bench:intake -- [--duration S] [--connections N] [--warmup S] [--database-url URL] [--keep-schema] [--cpu-prof DIR]\n',
  );
  process.exit(0);
}
const duration = positive('duration', flags.duration);
const connections = positive('connections', flags.connections);
const warmup = positive('warmup', flags.warmup);
const databaseUrl = flags['database-url'];
const databasePort = Number(new URL(databaseUrl).port || 5432);
const schema = `bench_${randomBytes(4).toString('hex')}`;
const bin = path.resolve(import.meta.dirname, '../bin/tapis.js');
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  DATABASE_SCHEMA: schema,
  LOG_LEVEL: 'warn',
  // One key sends everything here; the per-organisation and per-key limits would answer 429.
  TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
  TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
};
const TICKS_PER_SECOND = 100; // USER_HZ, for /proc/<pid>/stat

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: '${value}' is not a positive number`);
  return n;
}

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(): Promise<Server> {
  const profile = flags['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`]
    : [];
  const child = spawn(process.execPath, [...profile, bin, 'serve'], {
    env: { ...env, PORT: '0', TAPIS_DEMO: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    // Warnings during the run matter (a failed batch, a pool error): show them.
    process.stderr.write(chunk);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const url = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (url && (await fetch(`${url}/readyz`).catch(() => null))?.status === 200) return { child, url };
    if (child.exitCode !== null) throw new Error(`tapis exited before it was ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`tapis was not ready within 60 s:\n${output}`);
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

/**
 * Notice bodies, built before the run so that the client spends its share of the CPU on
 * sending. Each names a target of its own; past the prepared ones, bodies are built on the fly.
 */
class NoticeBodies {
  private readonly prepared: Buffer[];
  private next = 0;

  constructor(
    private readonly run: string,
    count: number,
  ) {
    this.prepared = Array.from({ length: count }, (_, i) => this.build(i));
  }

  take(): Buffer {
    const i = this.next++;
    return this.prepared[i] ?? this.build(i);
  }

  get used(): number {
    return this.next;
  }

  private build(i: number): Buffer {
    return Buffer.from(
      JSON.stringify({
        targets: [`https://t.me/b${this.run}_${i}/${(i % 9000) + 1}`],
        category: 'terrorism',
        legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
        legal_references: [{ instrument: 'UU 11/2008 jo. UU 1/2024', provision: 'Pasal 45' }],
        explanation: 'Benchmark notice: the post recruits for a designated terrorist organisation.',
        reference: `BENCH-${this.run}-${i}`,
        good_faith: true,
      }),
    );
  }
}

function submitNotices(url: string, key: string, bodies: NoticeBodies, seconds: number): PromiseLike<Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/notices',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (request) => ({ ...request, body: bodies.take() }),
      },
    ],
  });
}

/** CPU seconds used so far: by the server, its PostgreSQL backends, this client, the machine. */
interface CpuSample {
  server: number;
  /** Per backend serving one of the server's connections. */
  backends: Map<number, number>;
  client: number;
  busy: number;
  total: number;
}

/** utime + stime of a process, in seconds, and its name; null once it has gone. */
function processCpu(pid: number | string): { name: string; seconds: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields 14 and 15 (utime, stime) come after the ")" that ends the process name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  return { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

function socketInodes(pid: number | string): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return link.startsWith('socket:[') ? [link.slice(8, -1)] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** TCP sockets of this machine by inode: local and remote ports. */
function tcpSockets(): Map<string, { local: number; remote: number }> {
  const sockets = new Map<string, { local: number; remote: number }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (address: string) => Number.parseInt(address.split(':')[1]!, 16);
      sockets.set(f[9]!, { local: port(f[1]!), remote: port(f[2]!) });
    }
  }
  return sockets;
}

/**
 * The PostgreSQL backends serving the server's pool, and their CPU: other processes on the
 * machine (other test runs) use the same PostgreSQL, so its total would not do.
 */
function backendCpu(serverPid: number): Map<number, number> {
  const sockets = tcpSockets();
  const serverPorts = new Set(
    socketInodes(serverPid).flatMap((inode) => {
      const s = sockets.get(inode);
      return s && s.remote === databasePort ? [s.local] : [];
    }),
  );
  const backends = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = processCpu(pid);
    if (p?.name !== 'postgres') continue;
    const ours = socketInodes(pid).some((inode) => {
      const s = sockets.get(inode);
      return s !== undefined && s.local === databasePort && serverPorts.has(s.remote);
    });
    if (ours) backends.set(Number(pid), p.seconds);
  }
  return backends;
}

function sampleCpu(serverPid: number): CpuSample {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
  const idle = (cpu[3]! + cpu[4]!) / TICKS_PER_SECOND; // idle + iowait
  const usage = process.cpuUsage();
  return {
    server: processCpu(serverPid)?.seconds ?? 0,
    backends: backendCpu(serverPid),
    client: (usage.user + usage.system) / 1e6,
    busy: total - idle,
    total,
  };
}

interface Run {
  label: string;
  result: Result;
  /** Shares of the machine (all cores = 100%); "other" is every other process, PostgreSQL's own included. */
  cpu: { server: number; postgres: number; client: number; other: number; idle: number };
  /** CPU milliseconds per successful request, by the server and by PostgreSQL. */
  perRequest: { server: number; postgres: number };
}

async function measure(label: string, pid: number, run: () => PromiseLike<Result>): Promise<Run> {
  const before = sampleCpu(pid);
  const result = await run();
  const after = sampleCpu(pid);
  const wall = after.total - before.total;
  const share = (x: number) => (wall > 0 ? Math.max(0, x) / wall : 0);
  const server = after.server - before.server;
  // A backend that started during the run counts whole; one that ended during it is lost.
  let postgres = 0;
  for (const [pid, seconds] of after.backends) postgres += seconds - (before.backends.get(pid) ?? 0);
  const client = after.client - before.client;
  const busy = after.busy - before.busy;
  const ok = Math.max(1, result['2xx']);
  return {
    label,
    result,
    perRequest: { server: (server * 1000) / ok, postgres: (postgres * 1000) / ok },
    cpu: {
      server: share(server),
      postgres: share(postgres),
      client: share(client),
      other: share(busy - server - postgres - client),
      idle: share(wall - busy),
    },
  };
}

async function countNotices(): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`select count(*) as n from "${schema}".notices`);
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function dropSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

const ms = (x: number) => `${x.toFixed(x < 1 ? 2 : x < 10 ? 1 : 0)} ms`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

function printReport(runs: Run[], notices: Run, health: Run, stored: number, sent: number): void {
  const rate = (r: Result) => r['2xx'] / r.duration;
  const rows = [
    [
      '',
      'req/s',
      'p50',
      'p90',
      'p99',
      'max',
      'errors',
      'non-2xx',
      'CPU: server',
      'its backends',
      'client',
      'other',
      'idle',
    ],
    ...runs.map(({ label, result: r, cpu }) => [
      label,
      rate(r).toFixed(0),
      ms(r.latency.p50),
      ms(r.latency.p90),
      ms(r.latency.p99),
      ms(r.latency.max),
      String(r.errors),
      String(r.non2xx),
      pct(cpu.server),
      pct(cpu.postgres),
      pct(cpu.client),
      pct(cpu.other),
      pct(cpu.idle),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const n = notices.result;
  const p99 = n.latency.p99;
  process.stdout.write(
    [
      '',
      ...rows.map(line),
      '',
      `notices/s ÷ healthz req/s: ${(rate(n) / rate(health.result)).toFixed(3)}`,
      `notices/s vs target 1,000: ${rate(n).toFixed(0)} (${rate(n) >= 1000 ? 'met' : 'not met'})`,
      `p99 vs target 100 ms:      ${ms(p99)} (${p99 < 100 ? 'met' : 'not met'})`,
      `CPU per notice:            server ${ms(notices.perRequest.server)}, its backends ${ms(notices.perRequest.postgres)} (healthz: server ${ms(health.perRequest.server)} per request)`,
      `notices in the database:   ${stored} (201s received, warm-up included: ${sent}${stored >= sent ? '' : '; MISSING SOME'})`,
      '(CPU: shares of the whole machine, all cores = 100%; its backends = the PostgreSQL processes serving the',
      " server's connections; other = everything else, PostgreSQL's WAL writer and other users of the machine included)",
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const cpu = cpus();
  process.stdout.write(
    [
      `intake benchmark: PostgreSQL ${new URL(databaseUrl).host}, schema ${schema}; ${connections} connections, ${duration} s per run, ${warmup} s warm-up`,
      `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (the client, the server and PostgreSQL share these cores)`,
      '',
    ].join('\n'),
  );
  let server: Server | null = null;
  try {
    server = await startServer();
    const key = await cli(['key', 'create', '--org', 'komdigi', '--name', 'bench']);
    const bodies = new NoticeBodies(randomBytes(3).toString('hex'), Math.ceil((warmup + duration) * 3000));
    const pid = server.child.pid!;

    process.stdout.write('warming up…\n');
    const warm = await submitNotices(server.url, key, bodies, warmup);
    await autocannon({ url: `${server.url}/healthz`, connections, duration: 1 });

    const health = await measure('GET  /healthz', pid, () =>
      autocannon({ url: `${server!.url}/healthz`, connections, duration }),
    );
    const notices = await measure('POST /v1/notices', pid, () =>
      submitNotices(server!.url, key, bodies, duration),
    );
    // Let the last commits land before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stored = await countNotices();
    printReport([health, notices], notices, health, stored, warm['2xx'] + notices.result['2xx']);
    const refused = Object.entries(notices.result.statusCodeStats).filter(([code]) => code !== '201');
    if (refused.length > 0)
      process.stdout.write(`status codes: ${JSON.stringify(notices.result.statusCodeStats)}\n`);
  } finally {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server!.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    if (!flags['keep-schema']) await dropSchema();
    else process.stdout.write(`schema ${schema} kept\n`);
  }
}

await main();
