import { PDQ_WORDS } from "../pdq/hash256.js";
import { ballSize, CHUNK_COUNT, chunkKey, chunkLayoutFor, chunkThresholds, flipMasks, MAX_SEGMENT_ROWS, } from "./pdq-chunks.js";
import { instantiatePdqKernels } from "./pdq-kernels.js";
import { LANE_INDEXES, PLAN, packShuffles, SEEN_BITS } from "./pdq-probe-kernel.js";
import { align, tableBytes, tableScratch, writeTable } from "./pdq-tables.js";
import { createMemory, WASM_PAGE } from "./wasm-runtime.js";
/**
 * An immutable block of PDQ hashes with its multi-index tables, all in one WebAssembly memory
 * (freed with the segment). Rows are numbered 0 … size − 1 in the order the hashes were given.
 *
 * Layout: query (32 bytes + spare) | query plan (one entry per chunk) | lane shuffles and lane
 * numbers for the kernel's SIMD filter | flip mask counts by weight | run ends | rows seen |
 * flip masks | block records | candidate rows | matches | hashes (32 bytes a row) | one table
 * per chunk (see pdq-tables.ts). The probe kernel (pdq-probe-kernel.ts) says what the scratch
 * areas hold.
 */
/** Most flip masks kept per segment (256 KiB); radii needing more fall back to a scan. */
const MASK_LIMIT = 65_536;
const CANDIDATE_LIMIT = 1 << 18;
const MATCH_LIMIT = 1 << 17;
const BYTES_PER_HASH = PDQ_WORDS * 4;
const MAX_PAGES = 65_536;
// Rough costs in ns on the benchmark machine, to choose between probing and scanning.
const COST_PER_BLOCK = 30;
const COST_PER_ENTRY = 1;
const COST_PER_CANDIDATE = 20;
const COST_PER_SCANNED_ROW = 4.5;
/** Fewest candidates worth dropping the repeated ones for (see RadiusPlan.dedupeMin). */
const DEDUPE_FLOOR = 256;
const SEEN_BYTES = 4 * 2 ** SEEN_BITS;
export class PdqSegment {
    size;
    layout;
    /** A view of the hashes, row-major, 8 words a row. */
    hashes;
    /** Largest per-chunk threshold whose flip masks are stored. */
    maxThreshold;
    memory;
    kernels;
    queryAt = 0;
    planAt = 64;
    shufflesAt = align(64 + CHUNK_COUNT * PLAN.bytes, 64);
    lanesAt = this.shufflesAt + 256;
    /** How many flip masks weigh at most 0, 1, … maxThreshold bits (at most 17 of them). */
    weightEndsAt = this.lanesAt + 16;
    /** Where each run of blocks (chunk, weight) ends in the records (at most 11 × 17). */
    runEndsAt = this.lanesAt + 128;
    /** Rows seen in the current query (see the probe kernel's pass 4b), and its generation. */
    seenAt = this.runEndsAt + 1024;
    generation = 0;
    masksAt = this.seenAt + SEEN_BYTES;
    recordsAt;
    candidatesAt;
    candidateCap;
    matchesAt;
    matchCap;
    hashesAt;
    queryView;
    radiusPlans = new Map();
    /** The per-chunk query plan the probe kernel reads (see PLAN). */
    plan;
    /** Builds the segment from `count` hashes packed 8 words each in `source` from word `start`. */
    constructor(source, start, count, options = {}) {
        if (count > MAX_SEGMENT_ROWS)
            throw new RangeError(`a segment holds at most ${MAX_SEGMENT_ROWS} rows`);
        const layout = options.layout ?? chunkLayoutFor(count);
        if (layout.widths.length !== CHUNK_COUNT)
            throw new RangeError(`a layout has ${CHUNK_COUNT} chunks`);
        this.size = count;
        this.layout = layout;
        const { directoryBits } = layout;
        let threshold = 0;
        while (threshold < directoryBits && ballSize(directoryBits, threshold + 1) <= MASK_LIMIT)
            threshold++;
        this.maxThreshold = threshold;
        const masks = flipMasks(directoryBits, threshold);
        // Every chunk can yield every row once (plus the 4 slots the kernel's last 16-byte store
        // may write past them); each match is reported once. At least 4: the kernel's capacity check
        // subtracts those 16 bytes from the list's size.
        this.candidateCap = Math.max(4, Math.min(CANDIDATE_LIMIT, count * CHUNK_COUNT + 4));
        this.matchCap = Math.max(1, Math.min(MATCH_LIMIT, count));
        this.recordsAt = align(this.masksAt + masks.length * 4, 64);
        // A block of s entries keeps max(1, ⌈s / 4⌉) ≤ 1 + s / 4 records, and the kernel gives up
        // before the blocks hold more entries than the candidate list: at most one record per block
        // visited (≤ masks per chunk) plus candidateCap / 4, and one written past the last kept.
        const records = CHUNK_COUNT * masks.length + Math.ceil(this.candidateCap / 4) + 2;
        this.candidatesAt = align(this.recordsAt + records * 8, 64);
        this.matchesAt = align(this.candidatesAt + this.candidateCap * 4, 64);
        this.hashesAt = align(this.matchesAt + this.matchCap * 8, 64);
        const tablesAt = align(this.hashesAt + count * BYTES_PER_HASH, 64);
        const perTable = align(tableBytes(count, directoryBits), 64);
        const pages = Math.ceil((tablesAt + CHUNK_COUNT * perTable) / WASM_PAGE);
        if (pages > MAX_PAGES)
            throw new RangeError(`${count} hashes need more than the 4 GiB a segment can address`);
        this.memory = createMemory(pages, pages);
        this.kernels = instantiatePdqKernels(this.memory);
        new Uint32Array(this.memory.buffer, this.masksAt, masks.length).set(masks);
        new Uint8Array(this.memory.buffer, this.shufflesAt, 256).set(packShuffles());
        new Uint32Array(this.memory.buffer, this.lanesAt, 4).set(LANE_INDEXES);
        const weightEnds = new Uint32Array(this.memory.buffer, this.weightEndsAt, threshold + 1);
        for (let weight = 0; weight <= threshold; weight++)
            weightEnds[weight] = ballSize(directoryBits, weight);
        this.hashes = new Uint32Array(this.memory.buffer, this.hashesAt, count * PDQ_WORDS);
        this.hashes.set(source.subarray(start, start + count * PDQ_WORDS));
        this.plan = new Int32Array(this.memory.buffer, this.planAt, (CHUNK_COUNT * PLAN.bytes) / 4);
        const scratch = tableScratch(count, layout);
        for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
            const table = writeTable(this.memory.buffer, tablesAt + chunk * perTable, this.hashes, count, layout, chunk, scratch);
            const width = layout.widths[chunk];
            const at = (chunk * PLAN.bytes) / 4;
            this.plan[at + PLAN.directoryAt / 4] = table.directoryAt;
            this.plan[at + PLAN.entriesAt / 4] = table.entriesAt;
            this.plan[at + PLAN.lowMask / 4] = (1 << (width - directoryBits)) - 1;
            this.plan[at + PLAN.bitOffset / 4] = layout.offsets[chunk];
            this.plan[at + PLAN.widthMask / 4] = width === 32 ? -1 : (1 << width) - 1;
        }
        this.queryView = new Uint32Array(this.memory.buffer, this.queryAt, PDQ_WORDS);
    }
    /** Per-chunk thresholds, blocks read and the expected cost of probing, once per radius. */
    planFor(radius) {
        let plan = this.radiusPlans.get(radius);
        if (!plan) {
            const { directoryBits, widths } = this.layout;
            const thresholds = chunkThresholds(radius);
            const masks = thresholds.map((t) => (t < 0 ? 0 : ballSize(directoryBits, t)));
            const blocks = masks.reduce((sum, m) => sum + m, 0);
            let candidates = 0;
            thresholds.forEach((t, chunk) => {
                const width = widths[chunk];
                if (t >= 0)
                    candidates += (this.size * ballSize(width, t)) / 2 ** width;
            });
            const entries = (blocks * this.size) / 2 ** directoryBits;
            plan = {
                thresholds,
                masks,
                cost: blocks * COST_PER_BLOCK + entries * COST_PER_ENTRY + candidates * COST_PER_CANDIDATE,
                maxThreshold: Math.max(...thresholds),
                dedupeMin: Math.max(DEDUPE_FLOOR, Math.round(2 * candidates)),
            };
            this.radiusPlans.set(radius, plan);
        }
        return plan;
    }
    /** Bytes of memory the segment holds. */
    get byteLength() {
        return this.memory.buffer.byteLength;
    }
    /**
     * Calls `visit` once for every row within `radius` of `query` (8 words), exactly the rows a
     * brute-force scan would find. `strategy` forces probing or scanning (for tests and benchmarks);
     * probing still falls back to a scan where it cannot answer exactly (very large radius, or a
     * cluster too big for the buffers).
     */
    search(query, radius, visit, strategy = 'auto') {
        if (this.size === 0 || radius < 0)
            return;
        this.queryView.set(query.subarray(0, PDQ_WORDS));
        const plan = this.planFor(radius);
        const canProbe = plan.maxThreshold <= this.maxThreshold;
        const wantProbe = strategy === 'probe' || (strategy === 'auto' && plan.cost < this.size * COST_PER_SCANNED_ROW);
        if (canProbe && wantProbe && this.probe(query, radius, plan, visit))
            return;
        this.scan(radius, visit);
    }
    /** Returns false when a buffer would overflow (a huge cluster): the caller then scans. */
    probe(query, radius, radiusPlan, visit) {
        const { thresholds, masks, dedupeMin } = radiusPlan;
        const { widths, offsets, directoryBits } = this.layout;
        for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
            const width = widths[chunk];
            const key = chunkKey(query, 0, offsets[chunk], width);
            const lowBits = width - directoryBits;
            const at = (chunk * PLAN.bytes) / 4;
            this.plan[at + PLAN.key / 4] = key;
            this.plan[at + PLAN.keyHigh / 4] = key >>> lowBits;
            this.plan[at + PLAN.keyLow / 4] = key & ((1 << lowBits) - 1);
            this.plan[at + PLAN.masks / 4] = masks[chunk];
            this.plan[at + PLAN.threshold / 4] = thresholds[chunk];
        }
        const count = this.kernels.probe(this.hashesAt, this.planAt, CHUNK_COUNT, this.masksAt, this.queryAt, radius, this.recordsAt, this.candidatesAt, this.candidateCap, this.matchesAt, this.matchCap, this.shufflesAt, this.lanesAt, this.weightEndsAt, this.runEndsAt, this.seenAt, this.nextGeneration(), dedupeMin);
        if (count < 0)
            return false;
        this.report(count, visit);
        return true;
    }
    /** 1 to 255, a new one each query; the table of seen rows is cleared when they wrap. */
    nextGeneration() {
        this.generation++;
        if (this.generation > 255) {
            new Uint8Array(this.memory.buffer, this.seenAt, SEEN_BYTES).fill(0);
            this.generation = 1;
        }
        return this.generation;
    }
    scan(radius, visit) {
        // In pieces no larger than the match buffer, so that it cannot overflow.
        for (let first = 0; first < this.size; first += this.matchCap) {
            const end = Math.min(this.size, first + this.matchCap);
            const count = this.kernels.scan(this.hashesAt, first, end, this.queryAt, radius, this.matchesAt, 0, this.matchCap);
            this.report(count, visit);
        }
    }
    /** Hands the matches to the visitor (the kernels report each row once). */
    report(count, visit) {
        const matches = new Uint32Array(this.memory.buffer, this.matchesAt, count * 2);
        for (let i = 0; i < count; i++)
            visit(matches[2 * i], matches[2 * i + 1]);
    }
}
