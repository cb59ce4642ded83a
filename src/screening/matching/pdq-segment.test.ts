import { describe, expect, it } from 'vitest';
import { PDQ_WORDS } from '../pdq/hash256.ts';
import { bruteForcePdq } from './pdq-brute-force.ts';
import {
  ballSize,
  CHUNK_COUNT,
  chunkKey,
  chunkLayoutFor,
  chunkThresholds,
  flipMasks,
  MAX_SEGMENT_ROWS,
  uniformLayout,
} from './pdq-chunks.ts';
import { PdqSegment, type SearchStrategy } from './pdq-segment.ts';
import { tableBytes, tableScratch, writeTable } from './pdq-tables.ts';

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
    // Bits 23 … 45: bits 28–31 of word 0 and 0–3 of word 1.
    expect(chunkKey(hash, 0, 23, 23)).toBe(0b11111111 << 5);
    hash[7] = 0x80000000;
    expect(chunkKey(hash, 0, 224, 32)).toBe(0x80000000);
  });

  it('lays out eleven disjoint chunks, widest first, with a directory of size / 4 to size / 2 blocks', () => {
    const large = chunkLayoutFor(10_000_000);
    expect(large.directoryBits).toBe(21);
    expect(large.widths).toEqual([24, 24, 24, 24, 23, 23, 23, 23, 23, 23, 22]);
    expect((large.offsets[10] as number) + (large.widths[10] as number)).toBe(256);
    expect(chunkLayoutFor(1_000_000).directoryBits).toBe(18);
    expect(chunkLayoutFor(4_000_000).directoryBits).toBe(20);
    // Small segments: chunks at most 8 bits wider than the directory, leaving bits uncovered.
    const small = chunkLayoutFor(1000);
    expect(small.directoryBits).toBe(8);
    expect(small.widths.every((w) => w === 16)).toBe(true);
    expect(chunkLayoutFor(10, 8).widths.every((w) => w <= 8)).toBe(true);
    for (const size of [1, 10, 1000, 1e5, 1e6, MAX_SEGMENT_ROWS]) {
      const { widths, offsets, directoryBits } = chunkLayoutFor(size);
      expect(widths).toHaveLength(CHUNK_COUNT);
      widths.forEach((w, i) => {
        expect(w - directoryBits).toBeGreaterThanOrEqual(0);
        expect(w - directoryBits).toBeLessThanOrEqual(8);
        if (i > 0) expect(offsets[i]).toBe((offsets[i - 1] as number) + (widths[i - 1] as number));
      });
    }
  });
});

describe('chunk tables', () => {
  it('sorts entries by chunk value and points each directory block at its first entry', () => {
    const next = seeded(3);
    const count = 5000;
    const hashes = Uint32Array.from({ length: count * PDQ_WORDS }, next);
    const layout = chunkLayoutFor(count);
    const chunk = 4;
    const width = layout.widths[chunk] as number;
    const low = width - layout.directoryBits;
    const memory = new ArrayBuffer(tableBytes(count, layout.directoryBits) + 64);
    const table = writeTable(memory, 0, hashes, count, layout, chunk, tableScratch(count, layout));
    const directory = new Uint32Array(memory, table.directoryAt, 2 ** layout.directoryBits + 1);
    const entries = new Uint32Array(memory, table.entriesAt, count);
    const keyOf = (row: number) => chunkKey(hashes, row * PDQ_WORDS, layout.offsets[chunk] as number, width);
    expect(new Set([...entries].map((e) => e >>> 8)).size).toBe(count);
    for (let block = 0; block < 2 ** layout.directoryBits; block++) {
      for (let i = directory[block] as number; i < (directory[block + 1] as number); i++) {
        const entry = entries[i] as number;
        const key = keyOf(entry >>> 8);
        expect(key >>> low).toBe(block);
        expect(entry & ((1 << low) - 1)).toBe(key & ((1 << low) - 1));
        if (i > 0) expect(keyOf((entries[i - 1] as number) >>> 8)).toBeLessThanOrEqual(key);
      }
    }
    expect(directory[2 ** layout.directoryBits]).toBe(count);
  });
});

describe('PDQ segment', () => {
  it('stays exact when massive duplication crowds one block', () => {
    const next = seeded(5);
    const copies = 70_000;
    const hashes = new Uint32Array((copies + 500) * PDQ_WORDS);
    const duplicate = Uint32Array.from({ length: 8 }, next);
    for (let row = 0; row < copies; row++) hashes.set(duplicate, row * PDQ_WORDS);
    for (let i = copies * PDQ_WORDS; i < hashes.length; i++) hashes[i] = next();
    const segment = new PdqSegment(hashes, 0, copies + 500, { layout: chunkLayoutFor(copies + 500, 10) });
    const near = duplicate.slice();
    near[3] = (near[3] as number) ^ 0x7;
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

  it('gives the same answers whatever the directory and chunk widths', () => {
    const next = seeded(9);
    const hashes = Uint32Array.from({ length: 3000 * PDQ_WORDS }, next);
    const layouts = [chunkLayoutFor(3000), uniformLayout(9), uniformLayout(12, 4), uniformLayout(23, 15)];
    const segments = layouts.map((layout) => new PdqSegment(hashes, 0, 3000, { layout }));
    for (let q = 0; q < 20; q++) {
      const query = hashes.slice(q * 100 * PDQ_WORDS, (q * 100 + 1) * PDQ_WORDS);
      query[q % 8] = (query[q % 8] as number) ^ next();
      for (const radius of [0, 1, 31, 63]) {
        const expected = bruteForcePdq(hashes, query, radius);
        for (const segment of segments) expect(rows(segment, query, radius, 'probe')).toEqual(expected);
      }
    }
  });

  it('filters blocks of every size, four entries at a time, exactly', () => {
    // The kernel cuts each block into records of four entries: one record for up to four, two
    // for five to eight, more beyond. Small segments on a 4-bit directory give blocks of every
    // size from empty to a few dozen entries.
    const next = seeded(21);
    const sizes = new Set<number>();
    for (const count of [20, 50, 90, 140, 260]) {
      const hashes = Uint32Array.from({ length: count * PDQ_WORDS }, next);
      const layout = uniformLayout(12, 4);
      const blockSizes = new Map<number, number>();
      for (let row = 0; row < count; row++) {
        const high = chunkKey(hashes, row * PDQ_WORDS, 0, 12) >>> 8;
        blockSizes.set(high, (blockSizes.get(high) ?? 0) + 1);
      }
      for (let high = 0; high < 16; high++) sizes.add(blockSizes.get(high) ?? 0);
      const segment = new PdqSegment(hashes, 0, count, { layout });
      // Radius 0 probes only the first chunk: every row's own hash finds it, wherever its entry
      // lies in its block.
      for (let row = 0; row < count; row++) {
        const own = hashes.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS);
        expect(rows(segment, own, 0, 'probe')).toEqual(bruteForcePdq(hashes, own, 0));
      }
      for (let q = 0; q < 30; q++) {
        // A stored hash with 0–40 bits flipped, so that every radius finds some rows.
        const query = hashes.slice((q % count) * PDQ_WORDS, ((q % count) + 1) * PDQ_WORDS);
        for (let flip = next() % 41; flip > 0; flip--) {
          const bit = next() & 255;
          query[bit >>> 5] = ((query[bit >>> 5] as number) ^ (1 << (bit & 31))) >>> 0;
        }
        for (const radius of [0, 1, 2, 8, 31])
          expect(rows(segment, query, radius, 'probe')).toEqual(bruteForcePdq(hashes, query, radius));
      }
    }
    // The sizes where the number of records changes were all met.
    for (const size of [0, 1, 4, 5, 8, 9, 12, 13]) expect(sizes, `a block of ${size}`).toContain(size);
  });

  it('lists each row of a cluster once, and still finds every match once, query after query', () => {
    // 400 near-copies of one hash: a query near it draws each copy through most of the eleven
    // chunks, enough candidates for the kernel to drop the repeats. 600 queries: the table of
    // rows seen is cleared every 255.
    const next = seeded(31);
    const copies = 400;
    const count = copies + 4000;
    const hashes = Uint32Array.from({ length: count * PDQ_WORDS }, next);
    const centre = hashes.slice(0, PDQ_WORDS);
    const flip = (hash: Uint32Array, times: number) => {
      for (let f = 0; f < times; f++) {
        const bit = next() & 255;
        hash[bit >>> 5] = ((hash[bit >>> 5] as number) ^ (1 << (bit & 31))) >>> 0;
      }
    };
    for (let row = 0; row < copies; row++) {
      const copy = centre.slice();
      flip(copy, next() % 10);
      hashes.set(copy, row * PDQ_WORDS);
    }
    const segment = new PdqSegment(hashes, 0, count);
    for (let q = 0; q < 600; q++) {
      const query =
        q % 3 === 2 ? hashes.slice((copies + q) * PDQ_WORDS, (copies + q + 1) * PDQ_WORDS) : centre.slice();
      flip(query, next() % 12);
      const found = rows(segment, query, 31, 'probe');
      expect(found).toEqual(bruteForcePdq(hashes, query, 31));
      if (q % 3 !== 2) expect(found.length).toBeGreaterThan(copies / 2);
    }
  });

  it('refuses more rows than 24-bit row numbers hold', () => {
    expect(() => new PdqSegment(new Uint32Array(8), 0, MAX_SEGMENT_ROWS + 1)).toThrow(RangeError);
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
