/**
 * npm run bench:match [-- --sizes 1000000,10000000 --queries 2000 --distance 31]
 *
 * For banks of random PDQ hashes and of hashes clustered around 10,000 centres: build time,
 * memory, queries per second of the index and of brute force (plain TypeScript, and the
 * WebAssembly scan the index falls back to) on one core, and a check that the index returns
 * exactly what brute force returns on the queries brute force was timed on.
 */

import { bruteForcePdq, type PdqMatch } from '../src/screening/matching/pdq-brute-force.ts';
import { PdqIndex } from '../src/screening/matching/pdq-index.ts';
import { PDQ_WORDS } from '../src/screening/pdq/hash256.ts';
import { argument, format, load, machine, mb, perSecond, printTable, seededWords } from './bench-support.ts';

const sizes = (argument('sizes') ?? '1000000,10000000').split(',').map(Number);
const queryCount = Number(argument('queries') ?? 2000);
const distance = Number(argument('distance') ?? 31);
const CENTRES = 10_000;
const MAX_CLUSTER_FLIPS = 12;
const QUERY_FLIPS = 12;
const ROUNDS = 5;

type Distribution = 'random' | 'clustered';

function randomHashes(count: number, seed: number): Uint32Array {
  const next = seededWords(seed);
  const hashes = new Uint32Array(count * PDQ_WORDS);
  for (let i = 0; i < hashes.length; i++) hashes[i] = next();
  return hashes;
}

function flip(hashes: Uint32Array, row: number, flips: number, next: () => number): void {
  for (let f = 0; f < flips; f++) {
    const bit = next() & 255;
    const at = row * PDQ_WORDS + (bit >>> 5);
    hashes[at] = ((hashes[at] as number) ^ (1 << (bit & 31))) >>> 0;
  }
}

/** Each hash a random centre with 0–12 random bits flipped (re-encodes and small edits of one image). */
function clusteredHashes(count: number, seed: number): Uint32Array {
  const next = seededWords(seed);
  const centres = randomHashes(CENTRES, seed + 1);
  const hashes = new Uint32Array(count * PDQ_WORDS);
  for (let row = 0; row < count; row++) {
    const centre = next() % CENTRES;
    hashes.set(centres.subarray(centre * PDQ_WORDS, (centre + 1) * PDQ_WORDS), row * PDQ_WORDS);
    flip(hashes, row, next() % (MAX_CLUSTER_FLIPS + 1), next);
  }
  return hashes;
}

/** Random data: unrelated hashes. Clustered: banked hashes with 12 more bits flipped (a repost). */
function queries(bank: Uint32Array, distribution: Distribution, seed: number): Uint32Array {
  if (distribution === 'random') return randomHashes(queryCount, seed);
  const next = seededWords(seed);
  const rows = bank.length / PDQ_WORDS;
  const out = new Uint32Array(queryCount * PDQ_WORDS);
  for (let q = 0; q < queryCount; q++) {
    const row = next() % rows;
    out.set(bank.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS), q * PDQ_WORDS);
    flip(out, q, QUERY_FLIPS, next);
  }
  return out;
}

function same(a: PdqMatch[], b: PdqMatch[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id && m.distance === b[i]?.distance);
}

/**
 * ns per independent random read of one word of `words` (a plain loop, 2M reads): the machine's
 * memory speed at the moment, to read the index's figures by (a query at 10M is mostly such
 * reads, and this VM's rate moves by half between runs).
 */
function randomReadNs(words: Uint32Array): number {
  const next = seededWords(3);
  const reads = 2_000_000;
  const at = new Uint32Array(reads);
  for (let i = 0; i < reads; i++) at[i] = next() % words.length;
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < reads; i++) sink ^= words[at[i] as number] as number;
  const ns = ((performance.now() - start) * 1e6) / reads;
  // Reading `sink` keeps the loop's loads from being optimised away (it is never 0.5).
  return sink === 0.5 ? 0 : ns;
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const rows: string[][] = [];
process.stdout.write(
  `bench:match — ${machine()}; radius ${distance}; ${queryCount} index queries per bank\n`,
);
for (const size of sizes) {
  for (const distribution of ['random', 'clustered'] as Distribution[]) {
    collect();
    const bank = distribution === 'random' ? randomHashes(size, 7) : clusteredHashes(size, 7);
    const asked = queries(bank, distribution, 99);
    const query = (q: number) => asked.subarray(q * PDQ_WORDS, (q + 1) * PDQ_WORDS);
    collect();
    const before = process.memoryUsage().rss;
    const buildStart = performance.now();
    let index: PdqIndex | null = PdqIndex.fromHashes(bank);
    const buildSeconds = (performance.now() - buildStart) / 1000;
    collect();
    const rssDelta = process.memoryUsage().rss - before;
    const held = index.byteLength;

    // Warm up, then time the index over every query, in rounds: other processes on the machine
    // slow some rounds down, so the median and the best round are both shown.
    for (let q = 0; q < 200; q++) index.query(query(q), distance);
    let found = 0;
    const wallRates: number[] = [];
    const cpuRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      found = 0;
      let q = 0;
      const rate = perSecond(
        () => {
          found += (index as PdqIndex).query(query(q++), distance).length;
        },
        0,
        queryCount,
      );
      wallRates.push(rate.wall);
      cpuRates.push(rate.cpu);
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const indexMedian = median(wallRates);
    const indexCpu = median(cpuRates);

    // Brute force is slow at 10M: time it on a few queries, and check the index on the same ones.
    const bruteQueries = Math.max(3, Math.min(50, Math.round(5e7 / size)));
    let identical = 0;
    let b = 0;
    const bruteRate = perSecond(
      () => {
        const expected = bruteForcePdq(bank, query(b), distance);
        if (same((index as PdqIndex).query(query(b), distance), expected)) identical++;
        b++;
      },
      0,
      bruteQueries,
    );
    let s = 0;
    const scanRate = perSecond(
      () => {
        (index as PdqIndex).query(query(s++ % queryCount), distance, 'scan');
      },
      2,
      3,
    );

    const readNs = randomReadNs(bank);
    rows.push([
      `${distribution}`,
      format(size),
      format(buildSeconds, 1),
      mb(held),
      mb(rssDelta),
      format(indexMedian),
      format(indexCpu),
      format(bruteRate.cpu, 1),
      format(scanRate.cpu, 1),
      `${format(indexCpu / bruteRate.cpu)}×`,
      `${format(indexCpu / scanRate.cpu)}×`,
      format(found / queryCount, 1),
      `${identical}/${b}`,
      format(readNs, 1),
    ]);
    process.stdout.write(`  done: ${distribution} ${format(size)} (${load()})\n`);
    index = null;
  }
}
printTable(
  'PDQ index vs brute force (one core)',
  [
    'bank',
    'hashes',
    'build s',
    'index MB',
    'RSS Δ MB',
    'index q/s (wall)',
    'index q/s (CPU)',
    'brute TS q/s (CPU)',
    'scan WASM q/s (CPU)',
    'vs brute TS',
    'vs scan',
    'matches/q',
    'same as brute',
    'random read ns',
  ],
  rows,
);
process.stdout.write(
  `\nindex q/s: median of ${ROUNDS} rounds of all queries, per second of wall-clock time and per second of CPU time\n` +
    '(what one core does when the process is not waiting for one); ratios compare CPU-time rates.\n' +
    'index MB: bytes the index holds (WebAssembly memories, id arrays); RSS Δ: resident memory growth while building.\n' +
    'brute TS: every hash compared in plain TypeScript; scan WASM: every hash compared by the WebAssembly kernel.\n' +
    `Random queries are unrelated hashes; clustered queries are banked hashes with ${QUERY_FLIPS} bits flipped.\n` +
    'random read ns: one independent random read of the bank (a plain loop), measured after the run: the\n' +
    "machine's memory speed at the time, which a query at 10M mostly waits on.\n",
);
