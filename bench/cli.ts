/**
 * npm run bench:cli [-- --rounds 15]
 *
 * How long `tapis` takes to start, as a ratio to a bare `node -e 0` measured in the same run
 * (issue 16): `tapis --help` (target ≤ 5×) and `tapis hash` over the reference's 14 PPMs
 * (../shared/pdq-reference/ppm, or PDQ_REFERENCE_DIR; target ≤ 8×). Each is a process of its
 * own, as a user runs it; the rounds are interleaved so that a burst of load on the machine
 * falls on all three alike, and the median of each is kept. It also checks that the hashes
 * printed are the reference's.
 *
 * Then `tapis serve --demo` (what `npm start` runs) on an existing data folder: seconds from
 * the process's start until /healthz answers (target ≤ 3 s), median of --serve-rounds (3).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readReferenceCsv, referenceDataDir } from '../src/screening/pdq/reference-data.ts';
import { argument, format, load, machine, printTable } from './bench-support.ts';

const rounds = Number(argument('rounds') ?? 15);
const serveRounds = Number(argument('serve-rounds') ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'tapis.js');

const dir = referenceDataDir();
if (!dir)
  throw new Error('bench:cli needs the PDQ reference data (PDQ_REFERENCE_DIR or ../shared/pdq-reference)');
const ppmRoot = path.join(dir, 'ppm');
const ppms = readdirSync(ppmRoot, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ppm'))
  .sort();

/** Mirrors bin/tapis.js: is the compiled output the one that runs? */
function compiledRuns(): boolean {
  const infoFile = path.join(root, 'dist', 'build-info.json');
  if (!existsSync(infoFile)) return false;
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { built_at: number; sources: string[] };
  return info.sources.every((f) => {
    const stat = statSync(path.join(root, 'src', f), { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs <= info.built_at;
  });
}

function timed(args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: process.env });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { ms, stdout: run.stdout };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const compiled = compiledRuns();
if (!compiled)
  process.stderr.write(
    'bench:cli: dist/ is missing or older than src/, so tapis runs the sources through tsx; run `npm run build:server` first\n',
  );

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'tapis --help', args: [bin, '--help'], target: 5 },
  {
    name: `tapis hash (${ppms.length} PPMs)`,
    args: [bin, 'hash', ...ppms.map((f) => path.join(ppmRoot, f))],
    target: 8,
  },
];
const times = cases.map(() => [] as number[]);
let hashOutput = '';
timed(['-e', '0']); // warm the file cache
for (let round = 0; round < rounds; round++) {
  cases.forEach((c, i) => {
    const run = timed(c.args);
    times[i]?.push(run.ms);
    if (i === 2) hashOutput = run.stdout;
  });
}

// The hashes must be the reference's (expected-ppm.csv), or the speed is beside the point.
const expected = new Map(readReferenceCsv(dir, 'expected-ppm.csv').map((r) => [r.file, r.pdq]));
const wrong = hashOutput
  .trim()
  .split('\n')
  .filter((line) => {
    const parts = line.split(' ');
    const file = path
      .relative(ppmRoot, parts.at(-1) ?? '')
      .split(path.sep)
      .join('/');
    return expected.get(file) !== parts[0];
  });

const baseline = median(times[0] ?? []);
printTable(
  `tapis start-up, median of ${rounds} interleaved runs (${compiled ? 'compiled dist/' : 'sources via tsx'}); ${machine()}; ${load()}`,
  ['command', 'ms', 'ratio to node -e 0', 'target'],
  cases.map((c, i) => {
    const ms = median(times[i] ?? []);
    return [
      c.name,
      format(ms),
      i === 0 ? '1.0×' : `${format(ms / baseline, 1)}×`,
      c.target ? `≤ ${c.target}×` : '',
    ];
  }),
);
process.stdout.write(
  `\nhashes: ${ppms.length - wrong.length} of ${ppms.length} equal the reference's${wrong.length ? `; differ: ${wrong.join('; ')}` : ''}\n`,
);
const missed = cases.filter((c, i) => c.target && median(times[i] ?? []) / baseline > c.target);
process.stdout.write(
  missed.length ? `targets missed: ${missed.map((c) => c.name).join(', ')}\n` : 'targets met\n',
);

/** Seconds from spawning `tapis serve --demo` until /healthz answers, on the given folder. */
async function readyAfter(dataDir: string, port: number): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--demo'], {
    cwd: root,
    env: { ...process.env, TAPIS_DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tapis serve exited ${child.exitCode}`);
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return (performance.now() - start) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

if (serveRounds > 0) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tapis-bench-cli-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  try {
    await readyAfter(dataDir, port); // creates, migrates and seeds the folder: not counted
    const ready: number[] = [];
    for (let i = 0; i < serveRounds; i++) ready.push(await readyAfter(dataDir, port));
    const node = median(Array.from({ length: 5 }, () => timed(['-e', '0']).ms));
    process.stdout.write(
      `\nnpm start (tapis serve --demo) on an existing data folder: ready after ${format(median(ready), 2)} s (median of ${serveRounds}; target ≤ 3 s; node -e 0 now ${format(node)} ms)\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
