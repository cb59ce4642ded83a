import { PDQ_WORDS } from "../pdq/hash256.js";
import { chunkKey } from "./pdq-chunks.js";
/** Bits sorted in the second, cache-resident pass of the radix sort (4,096 counters). */
const SORT_LOW_BITS = 12;
/**
 * After the entries: the kernel reads entries four at a time (one 16-byte load) from each of a
 * block's four-entry records, the first even for an empty last block, so up to 16 bytes past the
 * last entry. Keep it ≥ 16.
 */
const PADDING = 16;
export function align(value, to) {
    return Math.ceil(value / to) * to;
}
/** Bytes of one chunk's table: directory, then entries. */
export function tableBytes(count, directoryBits) {
    return align((2 ** directoryBits + 1) * 4, 64) + count * 4 + PADDING;
}
export function tableScratch(count, layout) {
    const widest = Math.max(...layout.widths);
    return {
        grouped: new Uint32Array(count),
        lowKeys: new Uint16Array(count),
        highStarts: new Uint32Array(2 ** Math.max(0, widest - SORT_LOW_BITS) + 1),
        lowCounts: new Uint32Array(2 ** Math.min(widest, SORT_LOW_BITS) + 1),
    };
}
/**
 * Writes chunk `chunk`'s table for the `count` rows of `hashes` (8 words a row) at `at` in
 * `memory` (64-byte aligned, tableBytes long).
 *
 * A two-pass radix sort: rows are first grouped by the high bits of their chunk value (each group
 * written in sequence), then each group is counting-sorted by its low 12 bits with counters that
 * stay in cache. One counting sort over 16M values would make two random memory accesses per row;
 * this makes none, and builds about twice as fast.
 */
export function writeTable(memory, at, hashes, count, layout, chunk, scratch) {
    const width = layout.widths[chunk];
    const bit = layout.offsets[chunk];
    const blocks = 2 ** layout.directoryBits;
    const entryLowBits = width - layout.directoryBits;
    const entryLowMask = (1 << entryLowBits) - 1;
    const directoryAt = at;
    const entriesAt = align(at + (blocks + 1) * 4, 64);
    const directory = new Uint32Array(memory, directoryAt, blocks + 1);
    const entries = new Uint32Array(memory, entriesAt, count);
    const { grouped, lowKeys, highStarts, lowCounts } = scratch;
    const sortLowBits = Math.min(width, SORT_LOW_BITS);
    const sortLowMask = (1 << sortLowBits) - 1;
    const groups = 2 ** (width - sortLowBits);
    highStarts.fill(0, 0, groups + 1);
    for (let row = 0; row < count; row++) {
        const high = chunkKey(hashes, row * PDQ_WORDS, bit, width) >>> sortLowBits;
        highStarts[high + 1] = highStarts[high + 1] + 1;
    }
    for (let g = 0; g < groups; g++)
        highStarts[g + 1] = highStarts[g + 1] + highStarts[g];
    const cursor = highStarts.slice(0, groups);
    for (let row = 0; row < count; row++) {
        const key = chunkKey(hashes, row * PDQ_WORDS, bit, width);
        const slot = cursor[key >>> sortLowBits];
        cursor[key >>> sortLowBits] = slot + 1;
        grouped[slot] = row;
        lowKeys[slot] = key & sortLowMask;
    }
    for (let g = 0; g < groups; g++) {
        const first = highStarts[g];
        const end = highStarts[g + 1];
        lowCounts.fill(0, 0, sortLowMask + 2);
        for (let i = first; i < end; i++) {
            const low = lowKeys[i];
            lowCounts[low + 1] = lowCounts[low + 1] + 1;
        }
        // Counts become fill cursors (kept in lowCounts[low + 1]); a block starts where its first
        // value does, empty or not.
        let position = first;
        for (let low = 0; low <= sortLowMask; low++) {
            const value = g * (sortLowMask + 1) + low;
            if ((value & entryLowMask) === 0)
                directory[value >>> entryLowBits] = position;
            const size = lowCounts[low + 1];
            lowCounts[low + 1] = position;
            position += size;
        }
        for (let i = first; i < end; i++) {
            const low = lowKeys[i];
            const slot = lowCounts[low + 1];
            lowCounts[low + 1] = slot + 1;
            entries[slot] = ((grouped[i] << 8) | (low & entryLowMask)) >>> 0;
        }
    }
    directory[blocks] = count;
    return { directoryAt, entriesAt };
}
