import { assembleModule, FunctionBody } from './wasm-assembler.ts';
import { compileModule, instantiate, type WasmMemory } from './wasm-runtime.ts';

/**
 * The PDQ matcher's hot loops, in WebAssembly for its native 64-bit popcount: a candidate check is
 * ~4 instructions per 64 bits instead of ~12 for a JS bit-twiddling popcount, and a brute-force
 * scan runs at ~4 ns a hash instead of ~20 (measured on the 2 GHz benchmark machine).
 *
 * Both kernels write matches as (row: u32, distance: u32) pairs at `out` and return how many
 * there are, or −1 if `outCap` would be exceeded (the caller then falls back to a scan in pieces).
 * Hashes are 32 bytes each, in the word order of PdqHash (little-endian words), starting at
 * `hashes`; the query is 32 bytes at `query`.
 */

/** Emits: distance of the hash at `ptr` from the query, in `distance`, exiting early past `radius`. */
function emitCheckAndRecord(f: FunctionBody, rowLocal: string): void {
  const half = (offset: number, a: string, b: string) =>
    f
      .get('ptr')
      .load64(offset)
      .get(a)
      .xor64()
      .popcnt64()
      .get('ptr')
      .load64(offset + 8)
      .get(b)
      .xor64()
      .popcnt64()
      .add64()
      .wrap64();
  // 128 bits first: on a random candidate they almost always exceed the radius already.
  half(0, 'q0', 'q1').tee('distance').get('radius').leU();
  f.ifThen((g) => {
    g.get('distance');
    half(16, 'q2', 'q3');
    g.add().tee('distance').get('radius').leU();
    g.ifThen((h) => {
      h.get('outCount').get('outCap').geU();
      h.ifThen((x) => x.i32(-1).ret());
      h.get('out').get('outCount').i32(3).shl().add().get(rowLocal).store32(0);
      h.get('out').get('outCount').i32(3).shl().add().get('distance').store32(4);
      h.increment('outCount');
    });
  });
}

function emitLoadQuery(f: FunctionBody): void {
  f.get('query').load64(0).set('q0');
  f.get('query').load64(8).set('q1');
  f.get('query').load64(16).set('q2');
  f.get('query').load64(24).set('q3');
}

const QUERY_LOCALS = [
  ['q0', 'i64'],
  ['q1', 'i64'],
  ['q2', 'i64'],
  ['q3', 'i64'],
  ['ptr', 'i32'],
  ['distance', 'i32'],
] as const;

/** scan(hashes, first, end, query, radius, out, outCount, outCap): rows first ≤ row < end. */
function scanKernel(): FunctionBody {
  const f = new FunctionBody(
    'scan',
    [
      ['hashes', 'i32'],
      ['first', 'i32'],
      ['end', 'i32'],
      ['query', 'i32'],
      ['radius', 'i32'],
      ['out', 'i32'],
      ['outCount', 'i32'],
      ['outCap', 'i32'],
    ],
    ['i32'],
    [...QUERY_LOCALS, ['row', 'i32']],
  );
  emitLoadQuery(f);
  f.get('first').set('row');
  f.get('hashes').get('first').i32(5).shl().add().set('ptr');
  f.block((outer) =>
    outer.loop((body) => {
      body.get('row').get('end').geU().brIf(1);
      emitCheckAndRecord(body, 'row');
      body.increment('ptr', 32).increment('row').br(0);
    }),
  );
  f.get('outCount');
  return f;
}

/** Fields of one chunk's entry in a query plan (i32 each), written by the caller unless noted. */
export const PLAN = {
  /** The query's chunk value, and its directory bits (key >> lowBits) and stored low bits. */
  key: 0,
  keyHigh: 4,
  keyLow: 8,
  /** Mask of the chunk bits kept in each table entry (below the row number). */
  lowMask: 12,
  /** Addresses of the chunk's directory and entries (see pdq-tables.ts). */
  directoryAt: 16,
  entriesAt: 20,
  /** Directory blocks to read: the first `masks` flip masks of the directory bits. */
  masks: 24,
  threshold: 28,
  /** Where the chunk lies in a hash: its first bit, and a mask of its width. */
  bitOffset: 32,
  widthMask: 36,
  /** Written by the kernel: where this chunk's candidates lie in the candidate list (addresses). */
  candidatesStart: 40,
  candidatesEnd: 44,
  bytes: 48,
} as const;

/**
 * probe(hashes, plan, chunks, masks, query, radius, ranges, cands, candCap, out, outCap, shuffles,
 *       lanes)
 *
 * A whole multi-index query. For each chunk of the plan, the directory blocks whose top bits are
 * within the threshold of the query's (keyHigh ^ mask) hold every row whose chunk value can be;
 * a row is a candidate when the flipped top bits plus the differing low bits stored in its entry
 * stay within the threshold. In passes, so that each issues independent memory reads the CPU can
 * overlap (a single loop would stall on every cache miss): block bounds, a touch of each block,
 * the candidate rows (filtered without a branch, since the filter is a coin toss), then their
 * hashes.
 *
 * A row within the radius is reachable through every chunk within its threshold; it is recorded
 * only through the first such chunk, so each match comes out once.
 */
function probeKernel(): FunctionBody {
  const f = new FunctionBody(
    'probe',
    [
      ['hashes', 'i32'],
      ['plan', 'i32'],
      ['chunks', 'i32'],
      ['masks', 'i32'],
      ['query', 'i32'],
      ['radius', 'i32'],
      ['ranges', 'i32'],
      ['cands', 'i32'],
      ['candCap', 'i32'],
      ['out', 'i32'],
      ['outCap', 'i32'],
      ['shuffles', 'i32'],
      ['lanes', 'i32'],
    ],
    ['i32'],
    [
      ...QUERY_LOCALS,
      ['candPtr', 'i32'],
      ['candEnd', 'i32'],
      ['kept', 'i32'],
      ['items', 'v128'],
      ['keyLows', 'v128'],
      ['lowMasks', 'v128'],
      ['laneIndexes', 'v128'],
      ['budgets', 'v128'],
      ['chunk', 'i32'],
      ['entry', 'i32'],
      ['i', 'i32'],
      ['n', 'i32'],
      ['first', 'i32'],
      ['start', 'i32'],
      ['end', 'i32'],
      ['nRanges', 'i32'],
      ['row', 'i32'],
      ['outCount', 'i32'],
      ['earlier', 'i32'],
      ['other', 'i32'],
      ['bit', 'i32'],
      ['found', 'i32'],
      ['touched', 'i32'],
      ['slot', 'i32'],
      ['keyHigh', 'i32'],
      ['directoryAt', 'i32'],
      ['entriesAt', 'i32'],
      ['budget', 'i32'],
      ['mask', 'i32'],
      ['masksEnd', 'i32'],
    ],
  );
  const forEachChunk = (body: (g: FunctionBody) => void) => {
    f.i32(0).set('chunk');
    f.block((outer) =>
      outer.loop((loop) => {
        loop.get('chunk').get('chunks').geU().brIf(1);
        loop.get('plan').get('chunk').i32(PLAN.bytes).mul().add().set('entry');
        body(loop);
        loop.increment('chunk').br(0);
      }),
    );
  };
  const loopUpTo = (g: FunctionBody, counter: string, limit: () => void, body: (h: FunctionBody) => void) => {
    g.block((outer) =>
      outer.loop((loop) => {
        loop.get(counter);
        limit();
        loop.geU().brIf(1);
        body(loop);
        loop.increment(counter).br(0);
      }),
    );
  };

  // Pass 1: byte addresses of the first and past-the-last entry of every block to visit. The
  // chunk's plan fields are read once, into locals, not once per block.
  f.i32(0).set('nRanges');
  forEachChunk((g) => {
    g.get('entry').load32(PLAN.keyHigh).set('keyHigh');
    g.get('entry').load32(PLAN.directoryAt).set('directoryAt');
    g.get('entry').load32(PLAN.entriesAt).set('entriesAt');
    g.get('masks').get('entry').load32(PLAN.masks).i32(2).shl().add().set('masksEnd');
    g.get('masks').set('mask');
    g.block((outer) =>
      outer.loop((h) => {
        h.get('mask').get('masksEnd').geU().brIf(1);
        // slot = &directory[keyHigh ^ mask]; the block's entries run to the next slot's.
        h.get('directoryAt').get('keyHigh').get('mask').load32(0).xor().i32(2).shl().add().set('slot');
        h.get('ranges').get('nRanges').i32(3).shl().add();
        h.get('slot').load32(0).i32(2).shl().get('entriesAt').add().store32(0);
        h.get('ranges').get('nRanges').i32(3).shl().add();
        h.get('slot').load32(4).i32(2).shl().get('entriesAt').add().store32(4);
        h.increment('nRanges').increment('mask', 4).br(0);
      }),
    );
  });

  // Pass 2a: touch the first entry of every block, branch-free, so the cache misses overlap; the
  // filtering loop below branches on block sizes and would otherwise take them one at a time.
  f.i32(0).set('touched').i32(0).set('i');
  loopUpTo(
    f,
    'i',
    () => f.get('nRanges'),
    (h) => {
      h.get('touched').get('ranges').get('i').i32(3).shl().add().load32(0).load32(0).xor().set('touched');
    },
  );
  // Keep the touched value live (in the spare bytes after the query) so the loads stay.
  f.get('query').get('touched').store32(32);

  // Pass 2: the entries of those blocks within the threshold, chunk by chunk, copied whole (row
  // and low bits) to the candidate list. A block reached by flipping k top bits leaves a budget
  // of threshold − k for the low bits. The first four entries of a block are filtered at once in
  // SIMD and packed to the front by a shuffle (most blocks hold fewer; a loop's exit would be
  // mispredicted on nearly every block), any others one by one.
  f.get('cands').set('candPtr');
  f.get('cands').get('candCap').i32(2).shl().add().set('candEnd');
  f.get('lanes').v128Load(0).set('laneIndexes');
  f.i32(0).set('i');
  forEachChunk((g) => {
    g.get('entry').get('candPtr').store32(PLAN.candidatesStart);
    g.get('entry').load32(PLAN.keyLow).i32x4Splat().set('keyLows');
    g.get('entry').load32(PLAN.lowMask).i32x4Splat().set('lowMasks');
    g.get('i').set('first');
    g.get('i').get('entry').load32(PLAN.masks).add().set('n');
    loopUpTo(
      g,
      'i',
      () => g.get('n'),
      (h) => {
        h.get('ranges').get('i').i32(3).shl().add().load32(0).set('start');
        h.get('ranges').get('i').i32(3).shl().add().load32(4).set('end');
        h.get('entry').load32(PLAN.threshold);
        h.get('masks').get('i').get('first').sub().i32(2).shl().add().load32(0).popcnt();
        h.sub().set('budget');
        // No room for this block (and the four slots a shuffle writes): give up, the caller
        // scans instead.
        h.get('candEnd').get('candPtr').sub().get('end').get('start').sub().i32(16).add().ltU();
        h.ifThen((full) => full.i32(-1).ret());
        h.get('budget').i32x4Splat().set('budgets');
        // Four entries at a time, the first four whatever the block's size (no branch for the
        // common small block), then four more while any are left.
        h.block((outer) =>
          outer.loop((step) => {
            emitFilterFour(step);
            step.increment('start', 16);
            step.get('start').get('end').ltU().brIf(0);
          }),
        );
      },
    );
    g.get('entry').get('candPtr').store32(PLAN.candidatesEnd);
  });

  // Pass 3a: touch every candidate's hash, branch-free, for the same reason as pass 2a.
  f.i32(0).set('touched').get('cands').set('i');
  loopUpTo(
    f,
    'i',
    () => f.get('candPtr'),
    (h) => {
      h.get('touched');
      h.get('i').load32(0).i32(8).shrU().i32(5).shl().get('hashes').add().load32(0);
      h.xor().set('touched');
      h.increment('i', 3);
    },
  );
  f.get('query').get('touched').store32(36);

  // Pass 3: the candidates' distances; a match is recorded through the first chunk that finds it.
  emitLoadQuery(f);
  f.i32(0).set('outCount');
  forEachChunk((g) => {
    g.get('entry').load32(PLAN.candidatesStart).set('i');
    loopUpTo(
      g,
      'i',
      () => g.get('entry').load32(PLAN.candidatesEnd),
      (h) => {
        h.get('i').load32(0).i32(8).shrU().tee('row');
        h.i32(5).shl().get('hashes').add().set('ptr');
        emitDistance(h);
        h.get('distance').get('radius').leU();
        h.ifThen((match) => {
          emitFoundEarlier(match);
          match.get('found').eqz();
          match.ifThen((record) => {
            record.get('outCount').get('outCap').geU();
            record.ifThen((x) => x.i32(-1).ret());
            record.get('out').get('outCount').i32(3).shl().add().get('row').store32(0);
            record.get('out').get('outCount').i32(3).shl().add().get('distance').store32(4);
            record.increment('outCount');
          });
        });
        h.increment('i', 3);
      },
    );
  });
  f.get('outCount');
  return f;
}

/**
 * Emits: filters the four entries at `start` (those before `end`; the others are ignored) and
 * appends the kept ones, whole, at `candPtr`: their low bits are within `budgets` of `keyLows`.
 * Always writes 16 bytes; advances `candPtr` by the kept ones only.
 */
function emitFilterFour(f: FunctionBody): void {
  f.get('start').v128Load(0).set('items');
  f.get('items').get('keyLows').v128Xor().get('lowMasks').v128And().i8x16Popcnt();
  f.get('budgets').i32x4LeU();
  f.get('laneIndexes').get('end').get('start').sub().i32(2).shrU().i32x4Splat().i32x4LtU();
  f.v128And().i32x4Bitmask().set('kept');
  f.get('candPtr');
  f.get('items').get('shuffles').get('kept').i32(4).shl().add().v128Load(0).i8x16Swizzle();
  f.v128Store(0);
  f.get('candPtr').get('kept').popcnt().i32(2).shl().add().set('candPtr');
}

/**
 * The shuffles that pack the kept lanes of four 32-bit lanes to the front: entry k (16 bytes) is
 * for the 4-bit mask k of kept lanes. Written into each segment's memory (see pdq-segment.ts).
 */
export function packShuffles(): Uint8Array {
  const table = new Uint8Array(16 * 16).fill(0x80);
  for (let kept = 0; kept < 16; kept++) {
    let to = 0;
    for (let lane = 0; lane < 4; lane++) {
      if ((kept & (1 << lane)) === 0) continue;
      for (let b = 0; b < 4; b++) table[kept * 16 + to * 4 + b] = lane * 4 + b;
      to++;
    }
  }
  return table;
}

/** Lane numbers 0, 1, 2, 3 as four i32 (compared with a block's size). */
export const LANE_INDEXES = Uint32Array.from([0, 1, 2, 3]);

/**
 * Emits: `found` = 1 if an earlier chunk of the plan is within its threshold of the query for
 * the hash at `ptr`, so that chunk already recorded it. A chunk of up to 32 bits is read with one
 * unaligned 64-bit load at its first byte, shifted by at most 7.
 */
function emitFoundEarlier(f: FunctionBody): void {
  f.i32(0).set('found').i32(0).set('earlier');
  f.block((outer) =>
    outer.loop((loop) => {
      loop.get('earlier').get('chunk').geU().brIf(1);
      loop.get('plan').get('earlier').i32(PLAN.bytes).mul().add().set('other');
      loop.get('other').load32(PLAN.bitOffset).set('bit');
      loop.get('ptr').get('bit').i32(3).shrU().add().load64Unaligned(0);
      loop.get('bit').i32(7).and().extendU().shrU64().wrap64();
      loop.get('other').load32(PLAN.widthMask).and();
      loop.get('other').load32(PLAN.key).xor().popcnt();
      loop.get('other').load32(PLAN.threshold).leS();
      loop.ifThen((hit) => hit.i32(1).set('found').br(2));
      loop.increment('earlier').br(0);
    }),
  );
}

/** Emits: `distance` = distance of the hash at `ptr` from the query (q0…q3). */
function emitDistance(f: FunctionBody): void {
  const half = (offset: number, a: string, b: string) =>
    f
      .get('ptr')
      .load64(offset)
      .get(a)
      .xor64()
      .popcnt64()
      .get('ptr')
      .load64(offset + 8)
      .get(b)
      .xor64()
      .popcnt64()
      .add64()
      .wrap64();
  half(0, 'q0', 'q1').set('distance');
  // 128 bits first: on a random candidate they almost always exceed the radius already.
  f.get('distance').get('radius').leU();
  f.ifThen((g) => {
    g.get('distance');
    half(16, 'q2', 'q3');
    g.add().set('distance');
  });
}

export interface PdqKernels {
  scan(
    hashes: number,
    first: number,
    end: number,
    query: number,
    radius: number,
    out: number,
    outCount: number,
    outCap: number,
  ): number;
  probe(
    hashes: number,
    plan: number,
    chunks: number,
    masks: number,
    query: number,
    radius: number,
    ranges: number,
    cands: number,
    candCap: number,
    out: number,
    outCap: number,
    shuffles: number,
    lanes: number,
  ): number;
}

let compiled: object | null = null;

/** The kernels bound to one memory (each index segment has its own, freed with it). */
export function instantiatePdqKernels(memory: WasmMemory): PdqKernels {
  compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
  return instantiate(compiled, memory) as PdqKernels;
}
