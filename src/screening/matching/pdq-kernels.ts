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
  key: 0,
  /** Address of the chunk's block address array (see pdq-tables.ts). */
  blocksAt: 4,
  /** Bytes per block header offset (2 or 4) and the mask that reads one from 32 bits. */
  headerStride: 8,
  headerMask: 12,
  masks: 16,
  threshold: 20,
  /** Written by the kernel: this chunk's candidates in the candidate list. */
  candidatesStart: 24,
  candidatesEnd: 28,
  bytes: 32,
} as const;

/**
 * probe(hashes, plan, chunks, bits, masks, rowStride, rowMask, query, radius, ranges, cands,
 *       candCap, out, outCap)
 *
 * A whole multi-index query: for each chunk of the plan, bucket k = key ^ mask of its table holds
 * the rows whose chunk has that value (block k >> 6, between header offsets k & 63 and the next;
 * see pdq-tables.ts). In passes, so that
 * each issues independent memory reads the CPU can overlap (a single loop would stall on every
 * cache miss): bucket bounds, a touch of each bucket's first row, the candidate rows, then their
 * hashes. Row numbers are `rowStride` bytes (3 or 4) read as 32 bits and masked by `rowMask`.
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
      ['bits', 'i32'],
      ['masks', 'i32'],
      ['rowStride', 'i32'],
      ['rowMask', 'i32'],
      ['query', 'i32'],
      ['radius', 'i32'],
      ['ranges', 'i32'],
      ['cands', 'i32'],
      ['candCap', 'i32'],
      ['out', 'i32'],
      ['outCap', 'i32'],
    ],
    ['i32'],
    [
      ...QUERY_LOCALS,
      ['chunk', 'i32'],
      ['entry', 'i32'],
      ['i', 'i32'],
      ['n', 'i32'],
      ['bucket', 'i32'],
      ['start', 'i32'],
      ['end', 'i32'],
      ['nRanges', 'i32'],
      ['nCands', 'i32'],
      ['row', 'i32'],
      ['outCount', 'i32'],
      ['earlier', 'i32'],
      ['other', 'i32'],
      ['bit', 'i32'],
      ['found', 'i32'],
      ['touched', 'i32'],
      ['block', 'i32'],
      ['header', 'i32'],
      ['rowsAt', 'i32'],
      ['key', 'i32'],
      ['blocksAt', 'i32'],
      ['headerStride', 'i32'],
      ['headerMask', 'i32'],
      ['headerBytes', 'i32'],
      ['mask', 'i32'],
      ['masksEnd', 'i32'],
      ['chunkMask', 'i64'],
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

  // Pass 1: byte addresses of the first and past-the-last row of every bucket to visit. The
  // chunk's plan fields are read once, into locals, not once per bucket.
  f.i32(0).set('nRanges');
  forEachChunk((g) => {
    g.get('entry').load32(PLAN.key).set('key');
    g.get('entry').load32(PLAN.blocksAt).set('blocksAt');
    g.get('entry').load32(PLAN.headerStride).set('headerStride');
    g.get('entry').load32(PLAN.headerMask).set('headerMask');
    g.get('headerStride').i32(65).mul().set('headerBytes');
    g.get('masks').get('entry').load32(PLAN.masks).i32(2).shl().add().set('masksEnd');
    g.get('masks').set('mask');
    g.block((outer) =>
      outer.loop((h) => {
        h.get('mask').get('masksEnd').geU().brIf(1);
        h.get('key').get('mask').load32(0).xor().set('bucket');
        emitBucketRows(h);
        h.get('ranges').get('nRanges').i32(3).shl().add().get('start').store32(0);
        h.get('ranges').get('nRanges').i32(3).shl().add().get('end').store32(4);
        h.increment('nRanges').increment('mask', 4).br(0);
      }),
    );
  });

  // Pass 2a: touch the first row of every bucket, branch-free, so the cache misses overlap; the
  // copy loop below branches on bucket sizes and would otherwise take them one at a time.
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

  // Pass 2: the rows in those buckets, chunk by chunk.
  f.i32(0).set('nCands').i32(0).set('i');
  forEachChunk((g) => {
    g.get('entry').get('nCands').store32(PLAN.candidatesStart);
    g.get('i').get('entry').load32(PLAN.masks).add().set('n');
    loopUpTo(
      g,
      'i',
      () => g.get('n'),
      (h) => {
        h.get('ranges').get('i').i32(3).shl().add().load32(0).set('start');
        h.get('ranges').get('i').i32(3).shl().add().load32(4).set('end');
        // No room for this bucket: give up, the caller scans instead. (Room in bytes of rows,
        // compared without dividing: a division per bucket costs more than the rest.)
        h.get('candCap').get('nCands').sub().get('rowStride').mul().get('end').get('start').sub().ltU();
        h.ifThen((full) => full.i32(-1).ret());
        h.block((inner) =>
          inner.loop((copy) => {
            copy.get('start').get('end').geU().brIf(1);
            copy.get('cands').get('nCands').i32(2).shl().add();
            copy.get('start').load32(0).get('rowMask').and();
            copy.store32(0);
            copy.increment('nCands').get('start').get('rowStride').add().set('start').br(0);
          }),
        );
      },
    );
    g.get('entry').get('nCands').store32(PLAN.candidatesEnd);
  });

  // Pass 3: the candidates' distances; a match is recorded through the first chunk that finds it.
  emitLoadQuery(f);
  f.i32(0).set('outCount');
  f.i64(1n).get('bits').extendU().shl64().i64(1n).sub64().set('chunkMask');
  forEachChunk((g) => {
    g.get('entry').load32(PLAN.candidatesStart).set('i');
    loopUpTo(
      g,
      'i',
      () => g.get('entry').load32(PLAN.candidatesEnd),
      (h) => {
        h.get('cands').get('i').i32(2).shl().add().load32(0).tee('row');
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
      },
    );
  });
  f.get('outCount');
  return f;
}

/**
 * Emits: the byte addresses of the first and past-the-last row of bucket `bucket` into `start`
 * and `end`, from the chunk's fields in locals. The block's header and rows are adjacent.
 */
function emitBucketRows(f: FunctionBody): void {
  // block = blocks[bucket >> 6]; the bucket's offsets are header entries bucket & 63 and the next.
  f.get('blocksAt').get('bucket').i32(6).shrU().i32(2).shl().add().load32(0).set('block');
  f.get('block').get('bucket').i32(63).and().get('headerStride').mul().add().set('header');
  // Rows follow the 65 header offsets.
  f.get('block').get('headerBytes').add().set('rowsAt');
  f.get('header').load32(0).get('headerMask').and().get('rowStride').mul().get('rowsAt').add().set('start');
  f.get('header').get('headerStride').add().load32(0).get('headerMask').and();
  f.get('rowStride').mul().get('rowsAt').add().set('end');
}

/**
 * Emits: `found` = 1 if an earlier chunk of the plan is within its threshold of the query for
 * the hash at `ptr`, so that chunk already recorded it. Chunk c covers bits c·bits … c·bits +
 * bits − 1, read with one unaligned 64-bit load (bits ≤ 32 fit after a shift of at most 7).
 */
function emitFoundEarlier(f: FunctionBody): void {
  f.i32(0).set('found').i32(0).set('earlier');
  f.block((outer) =>
    outer.loop((loop) => {
      loop.get('earlier').get('chunk').geU().brIf(1);
      loop.get('plan').get('earlier').i32(PLAN.bytes).mul().add().set('other');
      loop.get('earlier').get('bits').mul().set('bit');
      loop.get('ptr').get('bit').i32(3).shrU().add().load64Unaligned(0);
      loop.get('bit').i32(7).and().extendU().shrU64().get('chunkMask').and64().wrap64();
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
    bits: number,
    masks: number,
    rowStride: number,
    rowMask: number,
    query: number,
    radius: number,
    ranges: number,
    cands: number,
    candCap: number,
    out: number,
    outCap: number,
  ): number;
}

let compiled: object | null = null;

/** The kernels bound to one memory (each index segment has its own, freed with it). */
export function instantiatePdqKernels(memory: WasmMemory): PdqKernels {
  compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
  return instantiate(compiled, memory) as PdqKernels;
}
