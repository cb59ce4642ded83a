import { PDQ_WORDS } from "../pdq/hash256.js";
import { chunkLayoutFor, MAX_SEGMENT_ROWS } from "./pdq-chunks.js";
import { PdqScanBuffer } from "./pdq-scan-buffer.js";
import { PdqSegment } from "./pdq-segment.js";
/** Meta's default PDQ match threshold (ThreatExchange, HMA): distance ≤ 31 of 256 bits. */
export const PDQ_DEFAULT_MAX_DISTANCE = 31;
/**
 * An exact Hamming-radius index of PDQ hashes: a query returns precisely the hashes a
 * brute-force scan returns, each once, nearest first.
 *
 * Shaped like a log-structured merge tree. Bulk loads become one segment (multi-index tables,
 * see pdq-segment.ts). Single adds go to a small scan buffer, matchable at once; a full buffer is
 * frozen into a segment, and a segment at least half the size of the one before it is merged
 * into it, so there are only O(log n) segments. Removal marks a tombstone that queries skip; a
 * segment a quarter dead is rebuilt without its dead rows.
 *
 * Ids are the index's own: consecutive integers from 0, in the order hashes were added, never
 * reused. Callers keep their own id → entry mapping (a plain array does).
 */
export class PdqIndex {
    bufferLimit;
    compactionRatio;
    chunkLayout;
    segmentLimit;
    segments = [];
    buffer;
    bufferIds = [];
    removed = new Uint8Array(1024);
    nextId = 0;
    live = 0;
    constructor(options = {}) {
        this.bufferLimit = Math.max(1, options.bufferLimit ?? 2048);
        this.compactionRatio = options.compactionRatio ?? 0.25;
        this.chunkLayout = options.chunkLayout ?? ((size) => chunkLayoutFor(size));
        this.segmentLimit = Math.min(MAX_SEGMENT_ROWS, Math.max(1, options.segmentLimit ?? MAX_SEGMENT_ROWS));
        // A full buffer becomes one segment.
        this.bufferLimit = Math.min(this.bufferLimit, this.segmentLimit);
        this.buffer = new PdqScanBuffer(this.bufferLimit);
    }
    /** An index of `hashes` (8 words each, row-major), with ids 0 … n − 1 in that order. */
    static fromHashes(hashes, options = {}) {
        const index = new PdqIndex(options);
        index.addMany(hashes);
        return index;
    }
    /** Live hashes (added and not removed). */
    get size() {
        return this.live;
    }
    /** Adds one hash and returns its id. It is matchable immediately. */
    add(hash) {
        if (this.buffer.isFull)
            this.freezeBuffer();
        const id = this.nextId++;
        this.buffer.append(hash);
        this.bufferIds.push(id);
        this.live++;
        return id;
    }
    /** Adds many hashes (8 words each) and returns the first id; the others follow consecutively. */
    addMany(hashes) {
        const count = Math.floor(hashes.length / PDQ_WORDS);
        const firstId = this.nextId;
        if (count < this.bufferLimit) {
            for (let row = 0; row < count; row++)
                this.add(hashes.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS));
            return firstId;
        }
        this.freezeBuffer();
        // Beyond the segment limit, in pieces of equal size (a small remainder would be merged back).
        const pieces = Math.ceil(count / this.segmentLimit);
        const perPiece = Math.ceil(count / pieces);
        for (let first = 0; first < count; first += perPiece) {
            const size = Math.min(perPiece, count - first);
            const segment = new PdqSegment(hashes, first * PDQ_WORDS, size, { layout: this.chunkLayout(size) });
            const id = firstId + first;
            this.pushSegment({ segment, ids: null, firstId: id, lastId: id + size - 1, dead: 0 });
        }
        this.nextId += count;
        this.live += count;
        return firstId;
    }
    /** Removes the hash with this id; false if there is none (never added, or already removed). */
    remove(id) {
        if (!this.has(id))
            return false;
        this.markRemoved(id);
        this.live--;
        const entry = this.segmentOf(id);
        if (entry) {
            entry.dead++;
            const at = this.segments.indexOf(entry);
            if (liveRows(entry) === 0)
                this.replace(at, 1, null);
            else if (entry.segment.size > this.bufferLimit &&
                entry.dead > entry.segment.size * this.compactionRatio) {
                this.replace(at, 1, this.rebuild([entry]));
            }
        }
        return true;
    }
    has(id) {
        return (Number.isInteger(id) && id >= 0 && id < this.nextId && !this.isRemoved(id) && this.locate(id) !== null);
    }
    /** The stored hash of a live id, or null. */
    hashOf(id) {
        if (!this.has(id))
            return null;
        const place = this.locate(id);
        if (!place)
            return null;
        const hashes = place.entry ? place.entry.segment.hashes : this.buffer.hashes;
        return hashes.slice(place.row * PDQ_WORDS, (place.row + 1) * PDQ_WORDS);
    }
    /**
     * Every live hash within `maxDistance` of `query`, nearest first (then by id). `strategy`
     * forces the segments to probe or scan, for tests and benchmarks; results do not change.
     */
    query(query, maxDistance = PDQ_DEFAULT_MAX_DISTANCE, strategy = 'auto') {
        if (query.length < PDQ_WORDS)
            throw new RangeError('a PDQ query is 8 words (256 bits)');
        const ids = [];
        const distances = [];
        for (const entry of this.segments) {
            const { ids: rowIds, firstId } = entry;
            entry.segment.search(query, maxDistance, (row, distance) => {
                const id = rowIds ? rowIds[row] : firstId + row;
                if (this.isRemoved(id))
                    return;
                ids.push(id);
                distances.push(distance);
            }, strategy);
        }
        this.buffer.search(query, maxDistance, (row, distance) => {
            const id = this.bufferIds[row];
            if (this.isRemoved(id))
                return;
            ids.push(id);
            distances.push(distance);
        });
        return inMatchOrder(ids, distances);
    }
    /** Rebuilds every segment that holds removed rows, and freezes the buffer. */
    compact() {
        this.freezeBuffer();
        // Backwards: a segment with no live rows left is dropped.
        for (let i = this.segments.length - 1; i >= 0; i--) {
            const entry = this.segments[i];
            if (entry.dead > 0)
                this.replace(i, 1, this.rebuild([entry]));
        }
    }
    /** Bytes held: segments, the scan buffer and the bookkeeping arrays. */
    get byteLength() {
        let bytes = this.buffer.byteLength + this.removed.byteLength + this.bufferIds.length * 8;
        for (const entry of this.segments)
            bytes += entry.segment.byteLength + (entry.ids?.byteLength ?? 0);
        return bytes;
    }
    /** Segment sizes, oldest first (for tests and diagnostics). */
    get segmentSizes() {
        return this.segments.map((entry) => entry.segment.size);
    }
    isRemoved(id) {
        return ((this.removed[id >>> 3] ?? 0) & (1 << (id & 7))) !== 0;
    }
    markRemoved(id) {
        if (id >>> 3 >= this.removed.length) {
            const grown = new Uint8Array(Math.max(this.removed.length * 2, (id >>> 3) + 1));
            grown.set(this.removed);
            this.removed = grown;
        }
        this.removed[id >>> 3] = this.removed[id >>> 3] | (1 << (id & 7));
    }
    /** The segment whose id range holds `id` (ranges are ascending and disjoint). */
    segmentOf(id) {
        let low = 0;
        let high = this.segments.length - 1;
        while (low <= high) {
            const middle = (low + high) >>> 1;
            const entry = this.segments[middle];
            if (id < entry.firstId)
                high = middle - 1;
            else if (id > entry.lastId)
                low = middle + 1;
            else
                return entry;
        }
        return null;
    }
    /** Where an id's hash is stored: a segment row, or a buffer row (entry null). */
    locate(id) {
        const entry = this.segmentOf(id);
        if (entry) {
            if (!entry.ids)
                return { entry, row: id - entry.firstId };
            const row = binarySearch(entry.ids, id);
            return row < 0 ? null : { entry, row };
        }
        const row = binarySearch(this.bufferIds, id);
        return row < 0 ? null : { entry: null, row };
    }
    freezeBuffer() {
        if (this.buffer.size === 0)
            return;
        const hashes = [];
        const ids = [];
        const all = this.buffer.hashes;
        this.bufferIds.forEach((id, row) => {
            if (this.isRemoved(id))
                return;
            ids.push(id);
            for (let w = 0; w < PDQ_WORDS; w++)
                hashes.push(all[row * PDQ_WORDS + w]);
        });
        this.buffer.clear();
        this.bufferIds = [];
        if (ids.length === 0)
            return;
        const segment = new PdqSegment(Uint32Array.from(hashes), 0, ids.length, {
            layout: this.chunkLayout(ids.length),
        });
        this.pushSegment({
            segment,
            ids: Uint32Array.from(ids),
            firstId: ids[0],
            lastId: ids[ids.length - 1],
            dead: 0,
        });
    }
    /**
     * Appends a segment, then merges the newest two while the newer is at least half the older
     * and the two fit in one segment.
     */
    pushSegment(entry) {
        this.segments.push(entry);
        for (;;) {
            const n = this.segments.length;
            const newer = this.segments[n - 1];
            const older = this.segments[n - 2];
            if (!newer || !older || liveRows(newer) * 2 < liveRows(older))
                return;
            if (liveRows(newer) + liveRows(older) > this.segmentLimit)
                return;
            this.replace(n - 2, 2, this.rebuild([older, newer]));
        }
    }
    replace(at, count, entry) {
        if (entry)
            this.segments.splice(at, count, entry);
        else
            this.segments.splice(at, count);
    }
    /** One segment holding the live rows of consecutive entries, or null if none is left. */
    rebuild(entries) {
        const total = entries.reduce((sum, entry) => sum + liveRows(entry), 0);
        if (total === 0)
            return null;
        const hashes = new Uint32Array(total * PDQ_WORDS);
        const ids = new Uint32Array(total);
        let at = 0;
        for (const entry of entries) {
            const { segment } = entry;
            for (let row = 0; row < segment.size; row++) {
                const id = entry.ids ? entry.ids[row] : entry.firstId + row;
                if (this.isRemoved(id))
                    continue;
                ids[at] = id;
                hashes.set(segment.hashes.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS), at * PDQ_WORDS);
                at++;
            }
        }
        const segment = new PdqSegment(hashes, 0, total, { layout: this.chunkLayout(total) });
        const firstId = ids[0];
        const lastId = ids[total - 1];
        const contiguous = lastId - firstId + 1 === total;
        return { segment, ids: contiguous ? null : ids, firstId, lastId, dead: 0 };
    }
}
/**
 * The matches nearest first, then by id (compareMatches' order). On a bank of near-duplicates a
 * query finds about a thousand, and sorting them as objects with a comparator took a third of
 * the query's time: instead, ids are bucketed by distance (a counting sort, distances being at
 * most 256) and each bucket, usually a few dozen, sorted as numbers. Ids fit 32 bits (the
 * removal bitmap indexes them as unsigned 32-bit integers too).
 */
function inMatchOrder(ids, distances) {
    if (ids.length === 0)
        return [];
    let farthest = 0;
    for (const distance of distances)
        if (distance > farthest)
            farthest = distance;
    const starts = new Uint32Array(farthest + 2);
    for (const distance of distances)
        starts[distance + 1] = starts[distance + 1] + 1;
    for (let d = 0; d <= farthest; d++)
        starts[d + 1] = starts[d + 1] + starts[d];
    const cursor = starts.slice(0, farthest + 1);
    const byDistance = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
        const distance = distances[i];
        byDistance[cursor[distance]] = ids[i];
        cursor[distance] = cursor[distance] + 1;
    }
    const matches = new Array(ids.length);
    for (let distance = 0; distance <= farthest; distance++) {
        const start = starts[distance];
        const bucket = byDistance.subarray(start, starts[distance + 1]);
        bucket.sort();
        for (let i = 0; i < bucket.length; i++)
            matches[start + i] = { id: bucket[i], distance };
    }
    return matches;
}
function liveRows(entry) {
    return entry.segment.size - entry.dead;
}
function binarySearch(sorted, value) {
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
        const middle = (low + high) >>> 1;
        const at = sorted[middle];
        if (at < value)
            low = middle + 1;
        else if (at > value)
            high = middle - 1;
        else
            return middle;
    }
    return -1;
}
