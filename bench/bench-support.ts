import { cpus, loadavg } from 'node:os';

/** Shared by the benchmarks: argument parsing, timing, a seeded generator and table printing. */

export function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) return process.argv[at + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

/**
 * Rates per second of wall-clock time and per second of this process's CPU time. On a machine
 * shared with other work the CPU-time rate is the better measure of what one core does: it does
 * not count the time the process waits for a core (caches and memory are still shared).
 */
export interface Rate {
  readonly wall: number;
  readonly cpu: number;
  readonly runs: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Runs `step` until at least `seconds` have passed and `minRuns` runs are done. */
export function perSecond(step: () => void, seconds: number, minRuns = 1): Rate {
  const start = performance.now();
  const cpuStart = cpuSeconds();
  let runs = 0;
  while (runs < minRuns || performance.now() - start < seconds * 1000) {
    step();
    runs++;
  }
  return { wall: runs / ((performance.now() - start) / 1000), cpu: runs / (cpuSeconds() - cpuStart), runs };
}

export async function perSecondAsync(step: () => Promise<void>, seconds: number): Promise<Rate> {
  const start = performance.now();
  const cpuStart = cpuSeconds();
  let runs = 0;
  while (runs < 1 || performance.now() - start < seconds * 1000) {
    await step();
    runs++;
  }
  return { wall: runs / ((performance.now() - start) / 1000), cpu: runs / (cpuSeconds() - cpuStart), runs };
}

/** The 1-minute load average and the number of cores, to read the figures by. */
export function load(): string {
  return `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`;
}

/** xorshift32: fast, seeded, good enough for synthetic data. */
export function seededWords(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] as number)).join(' | ')} |`;
  process.stdout.write(
    `\n${title}\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`,
  );
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}`;
}

export function format(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function mb(bytes: number): string {
  return format(bytes / 1e6);
}
