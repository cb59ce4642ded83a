import { popcount32 } from '../pdq/hash256.ts';
import { SIMHASH_NEAR_DUPLICATE_DISTANCE, type SimHash64 } from '../text/text-fingerprints.ts';
import { ballSize, chunkThresholds, flipMasks } from './pdq-chunks.ts';

export interface SimHashMatch {
  readonly id: number;
  readonly distance: number;
}

const CHUNKS = 4;
const CHUNK_BITS = 16;
/** Beyond this many probes per chunk a linear scan is cheaper, and as exact. */
const MAX_PROBES_PER_CHUNK = 5_000;

/**
 * Exact Hamming-radius search over 64-bit SimHashes: the multi-index argument of the PDQ index
 * (see pdq-chunks.ts) with four 16-bit chunks in hash maps, so that adds and removals are
 * immediate. At the near-duplicate threshold (10) each chunk is probed within 2 bits: 137 keys.
 * Text banks are small next to image banks, so this stays in plain TypeScript.
 */
export class SimHashIndex {
  private readonly high: number[] = [];
  private readonly low: number[] = [];
  private readonly alive: boolean[] = [];
  private readonly tables = Array.from({ length: CHUNKS }, () => new Map<number, number[]>());
  private readonly masks = flipMasks(CHUNK_BITS, 3);
  private live = 0;

  get size(): number {
    return this.live;
  }

  add(hash: SimHash64): number {
    const id = this.high.length;
    this.high.push(hash.high >>> 0);
    this.low.push(hash.low >>> 0);
    this.alive.push(true);
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const key = chunkOf(hash, chunk);
      const table = this.tables[chunk] as Map<number, number[]>;
      const ids = table.get(key);
      if (ids) ids.push(id);
      else table.set(key, [id]);
    }
    this.live++;
    return id;
  }

  remove(id: number): boolean {
    if (!this.alive[id]) return false;
    this.alive[id] = false;
    const hash = { high: this.high[id] as number, low: this.low[id] as number };
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const table = this.tables[chunk] as Map<number, number[]>;
      const key = chunkOf(hash, chunk);
      const ids = (table.get(key) ?? []).filter((other) => other !== id);
      if (ids.length > 0) table.set(key, ids);
      else table.delete(key);
    }
    this.live--;
    return true;
  }

  hashOf(id: number): SimHash64 | null {
    return this.alive[id] ? { high: this.high[id] as number, low: this.low[id] as number } : null;
  }

  /** Every live hash within `maxDistance` of `query`, nearest first (then by id). */
  query(query: SimHash64, maxDistance = SIMHASH_NEAR_DUPLICATE_DISTANCE): SimHashMatch[] {
    if (maxDistance < 0) return [];
    const thresholds = chunkThresholds(maxDistance, CHUNKS);
    const probes = Math.max(...[...thresholds].map((t) => (t < 0 ? 0 : ballSize(CHUNK_BITS, t))));
    const matches: SimHashMatch[] = [];
    const seen = new Set<number>();
    const consider = (id: number) => {
      if (seen.has(id) || !this.alive[id]) return;
      seen.add(id);
      const distance =
        popcount32(((this.high[id] as number) ^ query.high) >>> 0) +
        popcount32(((this.low[id] as number) ^ query.low) >>> 0);
      if (distance <= maxDistance) matches.push({ id, distance });
    };
    if (probes > MAX_PROBES_PER_CHUNK || Math.max(...thresholds) > 3) {
      for (let id = 0; id < this.high.length; id++) consider(id);
    } else {
      thresholds.forEach((t, chunk) => {
        if (t < 0) return;
        const key = chunkOf(query, chunk);
        const table = this.tables[chunk] as Map<number, number[]>;
        const count = ballSize(CHUNK_BITS, t);
        for (let m = 0; m < count; m++) {
          for (const id of table.get((key ^ (this.masks[m] as number)) >>> 0) ?? []) consider(id);
        }
      });
    }
    return matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }
}

function chunkOf(hash: SimHash64, chunk: number): number {
  const word = chunk < 2 ? hash.low : hash.high;
  return (chunk % 2 === 0 ? word : word >>> 16) & 0xffff;
}
