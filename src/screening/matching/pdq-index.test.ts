import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PDQ_WORDS, pdqFromHex } from '../pdq/hash256.ts';
import { MISSING_REFERENCE_MESSAGE, readReferenceLines, referenceDataDir } from '../pdq/reference-data.ts';
import { bruteForcePdq } from './pdq-brute-force.ts';
import { uniformLayout } from './pdq-chunks.ts';
import { PdqIndex, type PdqIndexOptions } from './pdq-index.ts';
import type { SearchStrategy } from './pdq-segment.ts';

const referenceDir = referenceDataDir();
if (!referenceDir) console.warn(MISSING_REFERENCE_MESSAGE);

const RADII = [0, 1, 31, 32, 63] as const;

/** A seeded generator, so that a failing case can be replayed. */
function randomWords(seed: number): () => number {
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

function randomHashes(count: number, seed: number): Uint32Array {
  const next = randomWords(seed);
  return Uint32Array.from({ length: count * PDQ_WORDS }, next);
}

/** Hashes around a few centres, each a centre with 0 … maxFlips random bits flipped. */
function clusteredHashes(count: number, centres: number, maxFlips: number, seed: number): Uint32Array {
  const next = randomWords(seed);
  const middles = randomHashes(centres, seed + 1);
  const hashes = new Uint32Array(count * PDQ_WORDS);
  for (let row = 0; row < count; row++) {
    const centre = next() % centres;
    hashes.set(middles.subarray(centre * PDQ_WORDS, (centre + 1) * PDQ_WORDS), row * PDQ_WORDS);
    const flips = next() % (maxFlips + 1);
    for (let f = 0; f < flips; f++) {
      const bit = next() % 256;
      const at = row * PDQ_WORDS + (bit >>> 5);
      hashes[at] = ((hashes[at] as number) ^ (1 << (bit & 31))) >>> 0;
    }
  }
  return hashes;
}

/** Queries: some stored hashes perturbed by up to 40 bits, some unrelated. */
function queriesNear(hashes: Uint32Array, count: number, seed: number): Uint32Array[] {
  const next = randomWords(seed);
  const rows = hashes.length / PDQ_WORDS;
  return Array.from({ length: count }, (_, i) => {
    if (i % 4 === 3 || rows === 0) return randomHashes(1, next());
    const row = next() % rows;
    const query = hashes.slice(row * PDQ_WORDS, (row + 1) * PDQ_WORDS);
    const flips = next() % 41;
    for (let f = 0; f < flips; f++) {
      const bit = next() % 256;
      query[bit >>> 5] = ((query[bit >>> 5] as number) ^ (1 << (bit & 31))) >>> 0;
    }
    return query;
  });
}

// Narrow chunks so that small test sets still have many hashes per bucket and multi-row buckets.
const SMALL_TABLES: PdqIndexOptions = { chunkLayout: () => uniformLayout(8, 5), bufferLimit: 16 };

/** Brute force over the live hashes, with ids as the index numbers them. */
function expected(live: Map<number, Uint32Array>, query: Uint32Array, radius: number) {
  const ids = [...live.keys()];
  const packed = new Uint32Array(ids.length * PDQ_WORDS);
  ids.forEach((id, i) => {
    packed.set(live.get(id) as Uint32Array, i * PDQ_WORDS);
  });
  return bruteForcePdq(packed, query, radius)
    .map((m) => ({ id: ids[m.id] as number, distance: m.distance }))
    .sort((a, b) => a.distance - b.distance || a.id - b.id);
}

function liveMap(hashes: Uint32Array): Map<number, Uint32Array> {
  const live = new Map<number, Uint32Array>();
  for (let row = 0; row < hashes.length / PDQ_WORDS; row++) {
    live.set(row, hashes.slice(row * PDQ_WORDS, (row + 1) * PDQ_WORDS));
  }
  return live;
}

function assertSameAsBruteForce(index: PdqIndex, live: Map<number, Uint32Array>, queries: Uint32Array[]) {
  for (const query of queries) {
    for (const radius of RADII) {
      for (const strategy of ['auto', 'probe', 'scan'] as SearchStrategy[]) {
        expect(index.query(query, radius, strategy)).toEqual(expected(live, query, radius));
      }
    }
  }
}

describe('PDQ index', () => {
  it('returns exactly the brute-force set on random hashes, at every radius', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 2 ** 31 }), (count, seed) => {
        const hashes = randomHashes(count, seed);
        assertSameAsBruteForce(
          PdqIndex.fromHashes(hashes, SMALL_TABLES),
          liveMap(hashes),
          queriesNear(hashes, 6, seed),
        );
      }),
      { numRuns: 25 },
    );
  });

  it('returns exactly the brute-force set on clustered hashes, at every radius', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (count, centres, maxFlips, seed) => {
          const hashes = clusteredHashes(count, centres, maxFlips, seed);
          const index = PdqIndex.fromHashes(hashes, SMALL_TABLES);
          assertSameAsBruteForce(index, liveMap(hashes), queriesNear(hashes, 6, seed));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('stays exact through interleaved adds and removals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constant<'add'>('add'), fc.constant<'remove'>('remove'), fc.constant<'bulk'>('bulk')),
          {
            maxLength: 120,
          },
        ),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (operations, seed) => {
          const next = randomWords(seed);
          const pool = clusteredHashes(2000, 5, 24, seed);
          const index = new PdqIndex(SMALL_TABLES);
          const live = new Map<number, Uint32Array>();
          let taken = 0;
          const take = (n: number) => {
            const batch = pool.slice(taken * PDQ_WORDS, (taken + n) * PDQ_WORDS);
            taken += n;
            return batch;
          };
          for (const operation of operations) {
            if (operation === 'add') {
              const hash = take(1);
              live.set(index.add(hash), hash);
            } else if (operation === 'bulk') {
              const batch = take(20 + (next() % 30));
              const first = index.addMany(batch);
              for (let i = 0; i < batch.length / PDQ_WORDS; i++)
                live.set(first + i, batch.slice(i * 8, i * 8 + 8));
            } else if (live.size > 0) {
              const ids = [...live.keys()];
              const id = ids[next() % ids.length] as number;
              expect(index.remove(id)).toBe(true);
              live.delete(id);
              expect(index.remove(id)).toBe(false);
            }
          }
          expect(index.size).toBe(live.size);
          assertSameAsBruteForce(index, live, queriesNear(pool.subarray(0, taken * PDQ_WORDS), 4, seed));
          index.compact();
          assertSameAsBruteForce(index, live, queriesNear(pool.subarray(0, taken * PDQ_WORDS), 2, seed + 1));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('makes a hash matchable as soon as it is added, and unmatchable once removed', () => {
    const index = PdqIndex.fromHashes(randomHashes(5000, 7));
    const hash = randomHashes(1, 99);
    const id = index.add(hash);
    expect(index.query(hash)).toEqual([{ id, distance: 0 }]);
    expect(index.hashOf(id)).toEqual(hash);
    index.remove(id);
    expect(index.query(hash)).toEqual([]);
    expect(index.hashOf(id)).toBeNull();
  });

  it('keeps the number of segments logarithmic as hashes are added one by one', () => {
    const index = new PdqIndex({ bufferLimit: 8, chunkLayout: () => uniformLayout(8, 5) });
    const hashes = randomHashes(1000, 3);
    for (let row = 0; row < 1000; row++) index.add(hashes.subarray(row * 8, row * 8 + 8));
    expect(index.segmentSizes.length).toBeLessThanOrEqual(Math.ceil(Math.log2(1000 / 8)) + 1);
    // All but the last buffer-full are in segments (a full buffer is frozen on the next add).
    expect(index.segmentSizes.reduce((a, b) => a + b, 0)).toBe(1000 - 8);
  });

  it('splits bulk loads and stops merges at the segment limit, and stays exact', () => {
    const hashes = randomHashes(1000, 21);
    const index = PdqIndex.fromHashes(hashes, { segmentLimit: 300, bufferLimit: 16 });
    expect(index.segmentSizes).toEqual([250, 250, 250, 250]);
    const more = randomHashes(200, 22);
    index.addMany(more);
    expect(index.segmentSizes.every((size) => size <= 300)).toBe(true);
    const all = new Uint32Array(1200 * 8);
    all.set(hashes);
    all.set(more, 1000 * 8);
    for (let q = 0; q < 1200; q += 97) {
      const query = all.slice(q * 8, q * 8 + 8);
      query[q % 8] = (query[q % 8] as number) ^ 0x00ff00ff;
      expect(index.query(query, 31, 'probe')).toEqual(bruteForcePdq(all, query, 31));
    }
  });

  it('rebuilds a segment once a quarter of it is removed, and frees it when empty', () => {
    const index = PdqIndex.fromHashes(randomHashes(400, 11), {
      bufferLimit: 16,
      chunkLayout: () => uniformLayout(8, 5),
    });
    for (let id = 0; id < 101; id++) index.remove(id);
    expect(index.segmentSizes).toEqual([299]);
    expect(index.query(randomHashes(400, 11).subarray(0, 8), 0)).toEqual([]);
    for (let id = 101; id < 400; id++) index.remove(id);
    expect(index.segmentSizes).toEqual([]);
    expect(index.size).toBe(0);
  });

  it.skipIf(!referenceDir)('finds the matches of the reference matcher test lists', () => {
    const dir = referenceDir ?? '';
    const haystack = readReferenceLines(dir, 'haystack.txt').map(pdqFromHex);
    const needles = readReferenceLines(dir, 'needles.txt').map(pdqFromHex);
    const packed = new Uint32Array(haystack.length * 8);
    haystack.forEach((hash, i) => {
      packed.set(hash, i * 8);
    });
    const index = PdqIndex.fromHashes(packed, { chunkLayout: () => uniformLayout(12, 8) });
    let matched = 0;
    for (const needle of needles) {
      for (const radius of [0, 31, 63]) {
        const found = index.query(needle, radius, 'probe');
        expect(found).toEqual(bruteForcePdq(packed, needle, radius));
        if (radius === 31) matched += found.length > 0 ? 1 : 0;
      }
    }
    // The reference's needles are edits of haystack photos: most have a match within 31.
    expect(matched).toBeGreaterThan(needles.length / 2);
  });
});
