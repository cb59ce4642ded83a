import { cpus } from 'node:os';

/** Shared by the benchmarks: argument parsing, timing, a seeded generator and table printing. */

export function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) return process.argv[at + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

/** Runs `step` until at least `seconds` have passed (and at least once); returns runs per second. */
export function perSecond(step: () => void, seconds: number, minRuns = 1): { rate: number; runs: number } {
  const start = performance.now();
  let runs = 0;
  while (runs < minRuns || performance.now() - start < seconds * 1000) {
    step();
    runs++;
  }
  return { rate: runs / ((performance.now() - start) / 1000), runs };
}

export async function perSecondAsync(step: () => Promise<void>, seconds: number): Promise<number> {
  const start = performance.now();
  let runs = 0;
  while (runs < 1 || performance.now() - start < seconds * 1000) {
    await step();
    runs++;
  }
  return runs / ((performance.now() - start) / 1000);
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
