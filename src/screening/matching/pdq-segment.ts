import { PDQ_WORDS } from '../pdq/hash256.ts';
import { ballSize, CHUNK_COUNT, chunkBitsFor, chunkKey, chunkThresholds, flipMasks } from './pdq-chunks.ts';
import { instantiatePdqKernels, type PdqKernels, PLAN } from './pdq-kernels.ts';
import {
  align,
  type ChunkTable,
  needsWideHeaders,
  sortChunkRows,
  type TableLayout,
  tableBytes,
  tableScratch,
  writeTable,
} from './pdq-tables.ts';
import { createMemory, WASM_PAGE, type WasmMemory } from './wasm-runtime.ts';

/**
 * An immutable block of PDQ hashes with its multi-index tables, all in one WebAssembly memory
 * (freed with the segment). Rows are numbered 0 … size − 1 in the order the hashes were given.
 *
 * Layout: query (32 bytes + spare) | query plan (one entry per chunk) | flip masks | bucket
 * ranges | candidate rows | matches | hashes (32 bytes a row) | one bucket table per chunk (see
 * pdq-tables.ts), those needing 32-bit block headers last.
 */

/** Most flip masks kept per segment (256 KiB); radii needing more fall back to a scan. */
const MASK_LIMIT = 65_536;
const CANDIDATE_LIMIT = 1 << 18;
const MATCH_LIMIT = 1 << 17;
const BYTES_PER_HASH = PDQ_WORDS * 4;
const MAX_PAGES = 65_536;

// Rough costs in ns on the benchmark machine, to choose between probing and scanning.
const COST_PER_PROBE = 40;
const COST_PER_CANDIDATE = 20;
const COST_PER_SCANNED_ROW = 4.5;

export type SearchStrategy = 'auto' | 'probe' | 'scan';

interface RadiusPlan {
  readonly thresholds: Int32Array;
  /** Buckets probed per chunk (0 for a chunk not needed at this radius). */
  readonly masks: Int32Array;
  readonly probes: number;
  readonly maxThreshold: number;
}

/** Receives each row within the radius once, with its distance. */
export type RowVisitor = (row: number, distance: number) => void;

export interface SegmentOptions {
  /** Chunk width; by default from the segment size (see chunkBitsFor). */
  readonly bits?: number;
  /** Bytes per stored row number; by default 3 while rows fit in 24 bits. */
  readonly rowBytes?: 3 | 4;
}

export class PdqSegment {
  readonly size: number;
  readonly bits: number;
  /** A view of the hashes, row-major, 8 words a row. */
  readonly hashes: Uint32Array;
  /** Largest per-chunk threshold whose flip masks are stored. */
  private readonly maxThreshold: number;
  private readonly memory: WasmMemory;
  private readonly kernels: PdqKernels;
  private readonly rowStride: 3 | 4;
  private readonly tables: ChunkTable[] = [];
  private readonly queryAt = 0;
  private readonly planAt = 64;
  private readonly masksAt = align(64 + CHUNK_COUNT * PLAN.bytes, 64);
  private readonly rangesAt: number;
  private readonly candidatesAt: number;
  private readonly candidateCap: number;
  private readonly matchesAt: number;
  private readonly matchCap: number;
  private readonly hashesAt: number;
  private readonly queryView: Uint32Array;
  private readonly radiusPlans = new Map<number, RadiusPlan>();
  /** The per-chunk query plan the probe kernel reads (see PLAN). */
  private readonly plan: Int32Array;

  /** Builds the segment from `count` hashes packed 8 words each in `source` from word `start`. */
  constructor(source: Uint32Array, start: number, count: number, options: SegmentOptions = {}) {
    const bits = options.bits ?? chunkBitsFor(count);
    if (bits * CHUNK_COUNT > 256)
      throw new RangeError(`chunk width ${bits} × ${CHUNK_COUNT} exceeds 256 bits`);
    this.size = count;
    this.bits = bits;
    let threshold = 0;
    while (threshold < bits && ballSize(bits, threshold + 1) <= MASK_LIMIT) threshold++;
    this.maxThreshold = threshold;
    const masks = flipMasks(bits, threshold);
    this.rowStride = options.rowBytes ?? (count <= 1 << 24 ? 3 : 4);
    if (this.rowStride === 3 && count > 1 << 24) throw new RangeError('3-byte rows hold at most 2^24 rows');
    // Every chunk can yield every row once; each match is reported once.
    this.candidateCap = Math.max(1, Math.min(CANDIDATE_LIMIT, count * CHUNK_COUNT));
    this.matchCap = Math.max(1, Math.min(MATCH_LIMIT, count));
    this.rangesAt = align(this.masksAt + masks.length * 4, 64);
    this.candidatesAt = align(this.rangesAt + CHUNK_COUNT * masks.length * 8, 64);
    this.matchesAt = align(this.candidatesAt + this.candidateCap * 4, 64);
    this.hashesAt = align(this.matchesAt + this.matchCap * 8, 64);

    const layout: TableLayout = { count, bits, rowStride: this.rowStride };
    // Room for 11 tables with 16-bit block headers; a chunk that needs 32-bit ones (massive
    // duplication) goes at the end instead, in memory grown for it.
    const tablesAt = align(this.hashesAt + count * BYTES_PER_HASH, 64);
    const narrow = align(tableBytes(layout, 2), 64);
    const pages = Math.ceil((tablesAt + CHUNK_COUNT * narrow) / WASM_PAGE);
    if (pages > MAX_PAGES)
      throw new RangeError(`${count} hashes need more than the 4 GiB a segment can address`);
    const widePages = CHUNK_COUNT * Math.ceil(align(tableBytes(layout, 4), 64) / WASM_PAGE);
    this.memory = createMemory(pages, Math.min(MAX_PAGES, pages + widePages));
    this.kernels = instantiatePdqKernels(this.memory);
    new Uint32Array(this.memory.buffer, this.masksAt, masks.length).set(masks);
    new Uint32Array(this.memory.buffer, this.hashesAt, count * PDQ_WORDS).set(
      source.subarray(start, start + count * PDQ_WORDS),
    );

    const scratch = tableScratch(layout);
    for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
      sortChunkRows(
        new Uint32Array(this.memory.buffer, this.hashesAt, count * PDQ_WORDS),
        layout,
        chunk,
        scratch,
      );
      let at = tablesAt + chunk * narrow;
      let headerStride: 2 | 4 = 2;
      if (needsWideHeaders(scratch.starts)) {
        at = this.memory.buffer.byteLength;
        headerStride = 4;
        this.memory.grow(Math.ceil(align(tableBytes(layout, 4), 64) / WASM_PAGE));
      }
      this.tables.push(writeTable(this.memory.buffer, at, layout, scratch, headerStride));
    }
    this.hashes = new Uint32Array(this.memory.buffer, this.hashesAt, count * PDQ_WORDS);
    this.queryView = new Uint32Array(this.memory.buffer, this.queryAt, PDQ_WORDS);
    this.plan = new Int32Array(this.memory.buffer, this.planAt, (CHUNK_COUNT * PLAN.bytes) / 4);
    this.tables.forEach((table, chunk) => {
      const at = (chunk * PLAN.bytes) / 4;
      this.plan[at + PLAN.blocksAt / 4] = table.blocksAt;
      this.plan[at + PLAN.headerStride / 4] = table.headerStride;
      this.plan[at + PLAN.headerMask / 4] = table.headerStride === 2 ? 0xffff : -1;
    });
  }

  /** Per-chunk thresholds and bucket counts for a radius, computed once per radius. */
  private planFor(radius: number): RadiusPlan {
    let plan = this.radiusPlans.get(radius);
    if (!plan) {
      const thresholds = chunkThresholds(radius);
      const masks = thresholds.map((t) => (t < 0 ? 0 : ballSize(this.bits, t)));
      plan = {
        thresholds,
        masks,
        probes: masks.reduce((sum, m) => sum + m, 0),
        maxThreshold: Math.max(...thresholds),
      };
      this.radiusPlans.set(radius, plan);
    }
    return plan;
  }

  /** Bytes of memory the segment holds. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Calls `visit` once for every row within `radius` of `query` (8 words), exactly the rows a
   * brute-force scan would find. `strategy` forces probing or scanning (for tests and benchmarks);
   * probing still falls back to a scan where it cannot answer exactly (very large radius, or a
   * cluster too big for the buffers).
   */
  search(query: Uint32Array, radius: number, visit: RowVisitor, strategy: SearchStrategy = 'auto'): void {
    if (this.size === 0 || radius < 0) return;
    this.queryView.set(query.subarray(0, PDQ_WORDS));
    const { thresholds, masks, probes, maxThreshold } = this.planFor(radius);
    const canProbe = maxThreshold <= this.maxThreshold;
    const expectedCandidates = (this.size * probes) / 2 ** this.bits;
    const probeCost = probes * COST_PER_PROBE + expectedCandidates * COST_PER_CANDIDATE;
    const wantProbe =
      strategy === 'probe' || (strategy === 'auto' && probeCost < this.size * COST_PER_SCANNED_ROW);
    if (canProbe && wantProbe && this.probe(query, radius, thresholds, masks, visit)) return;
    this.scan(radius, visit);
  }

  /** Returns false when a buffer would overflow (a huge cluster): the caller then scans. */
  private probe(
    query: Uint32Array,
    radius: number,
    thresholds: Int32Array,
    masks: Int32Array,
    visit: RowVisitor,
  ): boolean {
    for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
      const t = thresholds[chunk] as number;
      const at = (chunk * PLAN.bytes) / 4;
      this.plan[at + PLAN.key / 4] = chunkKey(query, 0, chunk, this.bits);
      this.plan[at + PLAN.masks / 4] = masks[chunk] as number;
      this.plan[at + PLAN.threshold / 4] = t;
    }
    const count = this.kernels.probe(
      this.hashesAt,
      this.planAt,
      CHUNK_COUNT,
      this.bits,
      this.masksAt,
      this.rowStride,
      this.rowStride === 3 ? 0xffffff : -1,
      this.queryAt,
      radius,
      this.rangesAt,
      this.candidatesAt,
      this.candidateCap,
      this.matchesAt,
      this.matchCap,
    );
    if (count < 0) return false;
    this.report(count, visit);
    return true;
  }

  private scan(radius: number, visit: RowVisitor): void {
    // In pieces no larger than the match buffer, so that it cannot overflow.
    for (let first = 0; first < this.size; first += this.matchCap) {
      const end = Math.min(this.size, first + this.matchCap);
      const count = this.kernels.scan(
        this.hashesAt,
        first,
        end,
        this.queryAt,
        radius,
        this.matchesAt,
        0,
        this.matchCap,
      );
      this.report(count, visit);
    }
  }

  /** Hands the matches to the visitor (the kernels report each row once). */
  private report(count: number, visit: RowVisitor): void {
    const matches = new Uint32Array(this.memory.buffer, this.matchesAt, count * 2);
    for (let i = 0; i < count; i++) visit(matches[2 * i] as number, matches[2 * i + 1] as number);
  }
}
