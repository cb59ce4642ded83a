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

/**
 * Emits: where bucket `bucket`'s rows start. Offsets are two-level to save memory: a 32-bit base
 * per block of 64 buckets plus a 16-bit offset within the block (`startStride` 2, `startMask`
 * 0xffff), or 32-bit offsets (stride 4, mask −1) in a chunk where some block holds ≥ 65,536 rows.
 */
function emitBucketStart(f: FunctionBody): void {
  f.get('bases').get('bucket').i32(6).shrU().i32(2).shl().add().load32(0);
  f.get('starts').get('bucket').get('startStride').mul().add().load32(0).get('startMask').and();
  f.add();
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

/**
 * probe(hashes, bases, starts, startStride, startMask, slots, slotStride, slotMask, key, masks,
 *       nMasks, query, radius, ranges, cands, candCap, out, outCount, outCap)
 *
 * One chunk of a multi-index table: for each mask, bucket k = key^mask of the CSR table holds
 * the rows whose chunk has that value, from start(k) to start(k + 1) in `slots`. Done in
 * three passes so that each pass issues independent memory reads the CPU can overlap (a single
 * loop would stall on every cache miss): bucket bounds, then candidate rows, then their hashes.
 * Slots are `slotStride` bytes (3 or 4) read as 32 bits and masked, so 3-byte rows save a quarter
 * of the table memory (the slot area carries one byte of padding).
 */
function probeKernel(): FunctionBody {
  const f = new FunctionBody(
    'probe',
    [
      ['hashes', 'i32'],
      ['bases', 'i32'],
      ['starts', 'i32'],
      ['startStride', 'i32'],
      ['startMask', 'i32'],
      ['slots', 'i32'],
      ['slotStride', 'i32'],
      ['slotMask', 'i32'],
      ['key', 'i32'],
      ['masks', 'i32'],
      ['nMasks', 'i32'],
      ['query', 'i32'],
      ['radius', 'i32'],
      ['ranges', 'i32'],
      ['cands', 'i32'],
      ['candCap', 'i32'],
      ['out', 'i32'],
      ['outCount', 'i32'],
      ['outCap', 'i32'],
    ],
    ['i32'],
    [
      ...QUERY_LOCALS,
      ['i', 'i32'],
      ['bucket', 'i32'],
      ['start', 'i32'],
      ['end', 'i32'],
      ['nCands', 'i32'],
      ['row', 'i32'],
    ],
  );

  // Pass 1: the bounds of every bucket to visit.
  f.i32(0).set('i');
  f.block((outer) =>
    outer.loop((body) => {
      body.get('i').get('nMasks').geU().brIf(1);
      body.get('key').get('masks').get('i').i32(2).shl().add().load32(0).xor().set('bucket');
      body.get('ranges').get('i').i32(3).shl().add();
      emitBucketStart(body);
      body.store32(0);
      body.increment('bucket');
      body.get('ranges').get('i').i32(3).shl().add();
      emitBucketStart(body);
      body.store32(4);
      body.increment('i').br(0);
    }),
  );

  // Pass 2a: touch the first row of every bucket, branch-free, so the cache misses overlap; the
  // copy loop below branches on bucket sizes and would otherwise take them one at a time.
  f.i32(0).set('row').i32(0).set('i');
  f.block((outer) =>
    outer.loop((body) => {
      body.get('i').get('nMasks').geU().brIf(1);
      body.get('row');
      body
        .get('slots')
        .get('ranges')
        .get('i')
        .i32(3)
        .shl()
        .add()
        .load32(0)
        .get('slotStride')
        .mul()
        .add()
        .load32(0);
      body.xor().set('row');
      body.increment('i').br(0);
    }),
  );
  // Keep the touched value live (in the spare bytes after the query) so the loads stay.
  f.get('query').get('row').store32(32);

  // Pass 2: the rows in those buckets.
  f.i32(0).set('nCands').i32(0).set('i');
  f.block((outer) =>
    outer.loop((body) => {
      body.get('i').get('nMasks').geU().brIf(1);
      body.get('ranges').get('i').i32(3).shl().add().load32(0).set('start');
      body.get('ranges').get('i').i32(3).shl().add().load32(4).set('end');
      // Room left < bucket size: give up, the caller scans instead.
      body.get('candCap').get('nCands').sub().get('end').get('start').sub().ltU();
      body.ifThen((over) => over.i32(-1).ret());
      body.block((inner) =>
        inner.loop((copy) => {
          copy.get('start').get('end').geU().brIf(1);
          copy.get('cands').get('nCands').i32(2).shl().add();
          copy.get('slots').get('start').get('slotStride').mul().add().load32(0).get('slotMask').and();
          copy.store32(0);
          copy.increment('nCands').increment('start').br(0);
        }),
      );
      body.increment('i').br(0);
    }),
  );

  // Pass 3: the candidates' distances.
  emitLoadQuery(f);
  f.i32(0).set('i');
  f.block((outer) =>
    outer.loop((body) => {
      body.get('i').get('nCands').geU().brIf(1);
      body.get('cands').get('i').i32(2).shl().add().load32(0).tee('row');
      body.i32(5).shl().get('hashes').add().set('ptr');
      emitCheckAndRecord(body, 'row');
      body.increment('i').br(0);
    }),
  );
  f.get('outCount');
  return f;
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
    bases: number,
    starts: number,
    startStride: number,
    startMask: number,
    slots: number,
    slotStride: number,
    slotMask: number,
    key: number,
    masks: number,
    nMasks: number,
    query: number,
    radius: number,
    ranges: number,
    cands: number,
    candCap: number,
    out: number,
    outCount: number,
    outCap: number,
  ): number;
}

let compiled: object | null = null;

/** The kernels bound to one memory (each index segment has its own, freed with it). */
export function instantiatePdqKernels(memory: WasmMemory): PdqKernels {
  compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
  return instantiate(compiled, memory) as PdqKernels;
}
