/**
 * Multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with multi-index
 * hashing", CVPR 2012) splits the 256 bits into disjoint chunks. If two hashes are within
 * distance r, then for any per-chunk thresholds t_i with Σ (t_i + 1) > r, at least one chunk i
 * differs by at most t_i bits (pigeonhole: otherwise the chunks alone would differ by more than
 * r). So looking up every chunk value within t_i of the query's, in a table per chunk, finds a
 * superset of the answer, which a full distance check then makes exact. Chunks need not cover all
 * 256 bits: uncovered bits only add distance, so the argument still holds.
 *
 * We use 11 chunks, widest first: at the default radius 31, t = 2 on the ten wide ones and t = 1
 * on the last (10·3 + 2 = 32 > 31). The widths (four of 24 bits, six of 23, one of 22) draw about
 * 2,750 candidates for a random query on 10M hashes, against 3,330 for eleven chunks of 23 bits.
 * See docs/decisions/0005-pdq-index-multi-index-hashing.md.
 */
export const CHUNK_COUNT = 11;
/**
 * Widths that draw few candidates at radius 31 on large segments (they sum to 256), none narrower
 * than the largest directory (21 bits).
 */
const IDEAL_WIDTHS = [24, 24, 24, 24, 23, 23, 23, 23, 23, 23, 22];
/** Chunk bits kept in each table entry beside its row number (the entry is row << 8 | low bits). */
export const MAX_LOW_BITS = 8;
/** Rows a segment may hold: table entries keep row numbers in 24 bits. */
export const MAX_SEGMENT_ROWS = 2 ** 24;
/**
 * A directory block holds 2 to 4 rows on average (2^2; see chunkLayoutFor), so that most blocks
 * are one four-entry record for the kernel's filter; only segments past 8M rows, whose
 * directory is capped at 21 bits, have larger blocks (4.8 rows at 10M).
 */
const ROWS_PER_BLOCK_BITS = 2;
const MIN_DIRECTORY_BITS = 2;
function layoutOf(directoryBits, widths) {
    const offsets = [];
    let at = 0;
    for (const width of widths) {
        offsets.push(at);
        at += width;
    }
    if (at > 256)
        throw new RangeError(`chunks of ${widths.join('+')} bits exceed 256`);
    for (const width of widths) {
        if (width < directoryBits || width > directoryBits + MAX_LOW_BITS || width > 32)
            throw new RangeError(`a ${width}-bit chunk does not fit a ${directoryBits}-bit directory`);
    }
    return { directoryBits, widths, offsets };
}
/**
 * The layout for a segment of `size` rows: a directory of size / 4 to size / 2 blocks, at most
 * 2^21 (so a block is a few entries, usually one 16-byte load within one cache line), and the
 * ideal widths, narrowed to what the directory allows (at most 8 bits above it) and to
 * `maxWidth` (tests narrow chunks to exercise crowded tables).
 */
export function chunkLayoutFor(size, maxWidth = 32) {
    const wanted = Math.ceil(Math.log2(Math.max(2, size))) - ROWS_PER_BLOCK_BITS;
    const directoryBits = Math.max(MIN_DIRECTORY_BITS, Math.min(wanted, maxWidth, 21));
    const widths = IDEAL_WIDTHS.map((ideal) => Math.min(ideal, maxWidth, directoryBits + MAX_LOW_BITS));
    return layoutOf(directoryBits, widths);
}
/** Eleven chunks of `width` bits with a directory on all of them (tests: one value per block). */
export function uniformLayout(width, directoryBits = width) {
    return layoutOf(directoryBits, Array.from({ length: CHUNK_COUNT }, () => width));
}
/** The `width` bits of the hash at `offset` (8 words, little-endian) starting at bit `bit`. */
export function chunkKey(words, offset, bit, width) {
    const word = bit >>> 5;
    const shift = bit & 31;
    let key = words[offset + word] >>> shift;
    if (shift + width > 32)
        key |= words[offset + word + 1] << (32 - shift);
    return width === 32 ? key >>> 0 : (key & ((1 << width) - 1)) >>> 0;
}
/**
 * Per-chunk thresholds for a query radius: the smallest that satisfy Σ (t_i + 1) > radius,
 * spread evenly, the larger ones on the first (widest) chunks. A threshold of −1 means the chunk
 * need not be looked at (radius 0 needs one exact chunk lookup, radius 1 two).
 */
export function chunkThresholds(radius, chunks = CHUNK_COUNT) {
    const needed = radius + 1;
    const base = Math.floor(needed / chunks);
    const extra = needed % chunks;
    const thresholds = new Int32Array(chunks);
    for (let i = 0; i < chunks; i++)
        thresholds[i] = base - 1 + (i < extra ? 1 : 0);
    return thresholds;
}
function binomial(n, k) {
    if (k < 0 || k > n)
        return 0;
    let result = 1;
    for (let i = 1; i <= k; i++)
        result = (result * (n - k + i)) / i;
    return Math.round(result);
}
/** How many `bits`-bit values lie within `threshold` of a given one: Σ_{k ≤ t} C(bits, k). */
export function ballSize(bits, threshold) {
    let total = 0;
    for (let k = 0; k <= threshold; k++)
        total += binomial(bits, k);
    return total;
}
/**
 * Every `bits`-bit mask of weight ≤ maxWeight, lightest first, so that the masks within threshold
 * t are the first ballSize(bits, t) of the list.
 */
export function flipMasks(bits, maxWeight) {
    const masks = new Uint32Array(ballSize(bits, maxWeight));
    let count = 0;
    const extend = (mask, from, remaining) => {
        if (remaining === 0) {
            masks[count++] = mask >>> 0;
            return;
        }
        for (let bit = from; bit < bits; bit++)
            extend(mask | (1 << bit), bit + 1, remaining - 1);
    };
    for (let weight = 0; weight <= maxWeight; weight++)
        extend(0, 0, weight);
    return masks;
}
