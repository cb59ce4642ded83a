/**
 * Multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with multi-index
 * hashing", CVPR 2012) splits the 256 bits into disjoint chunks. If two hashes are within
 * distance r, then for any per-chunk thresholds t_i with Σ (t_i + 1) > r, at least one chunk i
 * differs by at most t_i bits (pigeonhole: otherwise the chunks alone would differ by more than
 * r). So looking up every chunk value within t_i of the query's, in a table per chunk, finds a
 * superset of the answer, which a full distance check then makes exact. Chunks need not cover all
 * 256 bits: uncovered bits only add distance, so the argument still holds.
 *
 * We use 11 chunks of up to 22 bits. At the default radius 31 that means t = 2 on ten chunks and
 * t = 1 on the eleventh (10·3 + 2 = 32 > 31): about 2,560 bucket lookups per query, and at 10M
 * hashes about 6,000 candidates. See docs/decisions/0005-pdq-index-multi-index-hashing.md.
 */

export const CHUNK_COUNT = 11;
export const MAX_CHUNK_BITS = 23;
const MIN_CHUNK_BITS = 6;

/**
 * Chunk width for a segment of `size` hashes: about twice as many buckets as hashes (so most
 * buckets hold zero to two rows), capped where the 11 bucket tables would cost more memory than
 * they save in candidates (22 bits: 16 MiB of offsets per chunk).
 */
export function chunkBitsFor(size: number): number {
  const wanted = Math.ceil(Math.log2(Math.max(2, size))) + 1;
  return Math.max(MIN_CHUNK_BITS, Math.min(MAX_CHUNK_BITS, wanted));
}

/** The value of chunk `chunk` (bits chunk·bits … chunk·bits + bits − 1) of the hash at `offset`. */
export function chunkKey(words: Uint32Array, offset: number, chunk: number, bits: number): number {
  const start = chunk * bits;
  const word = start >>> 5;
  const shift = start & 31;
  let key = (words[offset + word] as number) >>> shift;
  if (shift + bits > 32) key |= (words[offset + word + 1] as number) << (32 - shift);
  return (key & ((1 << bits) - 1)) >>> 0;
}

/**
 * Per-chunk thresholds for a query radius: the smallest that satisfy Σ (t_i + 1) > radius,
 * spread evenly. A threshold of −1 means the chunk need not be looked at (radius 0 needs one
 * exact chunk lookup, radius 1 two).
 */
export function chunkThresholds(radius: number, chunks = CHUNK_COUNT): Int32Array {
  const needed = radius + 1;
  const base = Math.floor(needed / chunks);
  const extra = needed % chunks;
  const thresholds = new Int32Array(chunks);
  for (let i = 0; i < chunks; i++) thresholds[i] = base - 1 + (i < extra ? 1 : 0);
  return thresholds;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** How many `bits`-bit values lie within `threshold` of a given one: Σ_{k ≤ t} C(bits, k). */
export function ballSize(bits: number, threshold: number): number {
  let total = 0;
  for (let k = 0; k <= threshold; k++) total += binomial(bits, k);
  return total;
}

/**
 * Every `bits`-bit mask of weight ≤ maxWeight, lightest first, so that the masks within threshold
 * t are the first ballSize(bits, t) of the list.
 */
export function flipMasks(bits: number, maxWeight: number): Uint32Array {
  const masks = new Uint32Array(ballSize(bits, maxWeight));
  let count = 0;
  const extend = (mask: number, from: number, remaining: number): void => {
    if (remaining === 0) {
      masks[count++] = mask >>> 0;
      return;
    }
    for (let bit = from; bit < bits; bit++) extend(mask | (1 << bit), bit + 1, remaining - 1);
  };
  for (let weight = 0; weight <= maxWeight; weight++) extend(0, 0, weight);
  return masks;
}
