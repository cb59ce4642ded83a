import { describe, expect, it } from 'vitest';
import { PDQ_WORDS } from '../pdq/hash256.ts';
import { bruteForcePdq } from './pdq-brute-force.ts';
import { ballSize, chunkBitsFor, chunkKey, chunkThresholds, flipMasks } from './pdq-chunks.ts';
import { PdqSegment, type SearchStrategy } from './pdq-segment.ts';
import { needsWideHeaders, sortChunkRows, tableScratch } from './pdq-tables.ts';

/** Absolute bucket starts of chunk 0, as the segment builds them. */
function bucketStartsOf(hashes: Uint32Array, count: number, bits: number): Uint32Array {
  const layout = { count, bits, rowStride: 4 as const };
  const scratch = tableScratch(layout);
  sortChunkRows(hashes, layout, 0, scratch);
  return scratch.starts;
}

function seeded(seed: number): () => number {
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

function rows(segment: PdqSegment, query: Uint32Array, radius: number, strategy: SearchStrategy) {
  const found: { id: number; distance: number }[] = [];
  segment.search(query, radius, (id, distance) => found.push({ id, distance }), strategy);
  return found.sort((a, b) => a.distance - b.distance || a.id - b.id);
}

describe('multi-index chunks', () => {
  it('chooses thresholds whose pigeonhole sum exceeds the radius, skipping chunks it can', () => {
    for (let radius = 0; radius <= 80; radius++) {
      const thresholds = [...chunkThresholds(radius)];
      expect(thresholds.reduce((sum, t) => sum + t + 1, 0)).toBeGreaterThan(radius);
      expect(Math.max(...thresholds) - Math.min(...thresholds)).toBeLessThanOrEqual(1);
    }
    expect([...chunkThresholds(31)].sort()).toEqual([1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect([...chunkThresholds(0)].filter((t) => t >= 0)).toEqual([0]);
  });

  it('lists every mask within a threshold, lightest first, without repeats', () => {
    const masks = [...flipMasks(10, 3)];
    expect(masks.length).toBe(ballSize(10, 3));
    expect(new Set(masks).size).toBe(masks.length);
    const weights = masks.map((m) => m.toString(2).split('1').length - 1);
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(masks.slice(0, ballSize(10, 1))).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });

  it('reads a chunk that straddles two words', () => {
    const hash = new Uint32Array(8);
    hash[0] = 0xf0000000;
    hash[1] = 0x0000000f;
    // Bits 23 … 45 with 23-bit chunks: chunk 1 covers bits 28–31 of word 0 and 0–3 of word 1.
    expect(chunkKey(hash, 0, 1, 23)).toBe(0b11111111 << 5);
  });

  it('sizes chunks to about twice as many buckets as hashes, up to 23 bits', () => {
    expect(chunkBitsFor(1_000_000)).toBe(21);
    expect(chunkBitsFor(10_000_000)).toBe(23);
    expect(chunkBitsFor(10)).toBe(6);
  });
});

describe('PDQ segment', () => {
  it('stays exact when massive duplication forces 32-bit block headers', () => {
    const next = seeded(5);
    const copies = 70_000;
    const hashes = new Uint32Array((copies + 500) * PDQ_WORDS);
    const duplicate = Uint32Array.from({ length: 8 }, next);
    for (let row = 0; row < copies; row++) hashes.set(duplicate, row * PDQ_WORDS);
    for (let i = copies * PDQ_WORDS; i < hashes.length; i++) hashes[i] = next();
    const segment = new PdqSegment(hashes, 0, copies + 500, { bits: 10 });
    const near = duplicate.slice();
    near[3] = (near[3] as number) ^ 0x7;
    expect(needsWideHeaders(bucketStartsOf(hashes, copies + 500, 10))).toBe(true);
    for (const strategy of ['probe', 'scan'] as SearchStrategy[]) {
      expect(rows(segment, near, 3, strategy)).toEqual(bruteForcePdq(hashes, near, 3));
      expect(rows(segment, near, 2, strategy)).toEqual([]);
      // Radius 0 probes one chunk: all 70,000 copies fit the buffers, so this goes through the table.
      expect(rows(segment, duplicate, 0, strategy)).toHaveLength(copies);
      for (let q = 0; q < 10; q++) {
        const other = hashes.slice((copies + q * 37) * PDQ_WORDS, (copies + q * 37 + 1) * PDQ_WORDS);
        other[q % 8] = (other[q % 8] as number) ^ (1 << q);
        for (const radius of [1, 31])
          expect(rows(segment, other, radius, strategy)).toEqual(bruteForcePdq(hashes, other, radius));
      }
    }
  });

  it('gives the same answers with 4-byte row numbers as with 3-byte ones', () => {
    const next = seeded(9);
    const hashes = Uint32Array.from({ length: 3000 * PDQ_WORDS }, next);
    const narrow = new PdqSegment(hashes, 0, 3000, { bits: 9, rowBytes: 3 });
    const wide = new PdqSegment(hashes, 0, 3000, { bits: 9, rowBytes: 4 });
    for (let q = 0; q < 20; q++) {
      const query = hashes.slice(q * 100 * PDQ_WORDS, (q * 100 + 1) * PDQ_WORDS);
      query[q % 8] = (query[q % 8] as number) ^ next();
      for (const radius of [0, 31, 63]) {
        const expected = bruteForcePdq(hashes, query, radius);
        expect(rows(narrow, query, radius, 'probe')).toEqual(expected);
        expect(rows(wide, query, radius, 'probe')).toEqual(expected);
      }
    }
  });

  it('reads hashes from an offset into the source', () => {
    const next = seeded(13);
    const hashes = Uint32Array.from({ length: 100 * PDQ_WORDS }, next);
    const segment = new PdqSegment(hashes, 40 * PDQ_WORDS, 60);
    expect(segment.hashes).toEqual(hashes.subarray(40 * PDQ_WORDS));
    expect(rows(segment, hashes.subarray(50 * PDQ_WORDS, 51 * PDQ_WORDS), 0, 'probe')).toEqual([
      { id: 10, distance: 0 },
    ]);
  });
});
