import { emitDistance, emitLoadQuery, emitRecordMatch, QUERY_LOCALS } from "./pdq-kernel-common.js";
import { FunctionBody } from "./wasm-assembler.js";
/** The probe kernel's table of rows seen in a query has 2^SEEN_BITS slots of 4 bytes. */
export const SEEN_BITS = 14;
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
};
/**
 * probe(hashes, plan, chunks, masks, query, radius, records, cands, candCap, out, outCap,
 *       shuffles, lanes, weightEnds, runEnds, seen, generation, dedupeMin)
 *
 * A whole multi-index query. For each chunk of the plan, the directory blocks whose top bits are
 * within the threshold of the query's (keyHigh ^ mask) hold every row whose chunk value can be;
 * a row is a candidate when the flipped top bits plus the differing low bits stored in its entry
 * stay within the threshold.
 *
 * At 10M hashes nearly every read of a directory slot, a block or a candidate's hash misses the
 * cache, and the query is bound by how many misses the CPU keeps in flight. So the work is cut
 * into passes: three that only touch memory, in loops so small and branch-free that dozens of
 * misses overlap (1, 3, 5), and three that compute on what is then in cache (2, 4, 6). Merging a
 * touch into a computing loop was measured slower every time: the computing loop's mispredicted
 * branches and longer body leave fewer misses in flight.
 *
 *   1. touch the directory slot of every block to visit;
 *   2. cut every block into records of four entries (see pass 2 below);
 *   3. touch the 16 bytes of every record;
 *   4. filter the records into the candidate list (and, for a query into a cluster, drop the
 *      candidates an earlier chunk already listed);
 *   5. touch every candidate's hash;
 *   6. check the candidates' distances.
 *
 * A row within the radius is reachable through every chunk within its threshold; it is recorded
 * only through the first such chunk, so each match comes out once.
 */
export function probeKernel() {
    const f = new FunctionBody('probe', [
        ['hashes', 'i32'],
        ['plan', 'i32'],
        ['chunks', 'i32'],
        ['masks', 'i32'],
        ['query', 'i32'],
        ['radius', 'i32'],
        ['records', 'i32'],
        ['cands', 'i32'],
        ['candCap', 'i32'],
        ['out', 'i32'],
        ['outCap', 'i32'],
        ['shuffles', 'i32'],
        ['lanes', 'i32'],
        ['weightEnds', 'i32'],
        ['runEnds', 'i32'],
        ['seen', 'i32'],
        ['generation', 'i32'],
        ['dedupeMin', 'i32'],
    ], ['i32'], [
        ...QUERY_LOCALS,
        ['candPtr', 'i32'],
        ['kept', 'i32'],
        ['items', 'v128'],
        ['keyLows', 'v128'],
        ['lowMasks', 'v128'],
        ['laneIndexes', 'v128'],
        ['budgets', 'v128'],
        ['weight', 'i32'],
        ['runEnd', 'i32'],
        ['total', 'i32'],
        ['key', 'i32'],
        ['candidate', 'i32'],
        ['previous', 'i32'],
        ['seenSlot', 'i32'],
        ['writePtr', 'i32'],
        ['recPtr', 'i32'],
        ['runPtr', 'i32'],
        ['threshold', 'i32'],
        ['chunk', 'i32'],
        ['entry', 'i32'],
        ['i', 'i32'],
        ['first', 'i32'],
        ['start', 'i32'],
        ['end', 'i32'],
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
    ]);
    const forEachChunk = (body) => {
        f.i32(0).set('chunk');
        f.block((outer) => outer.loop((loop) => {
            loop.get('chunk').get('chunks').geU().brIf(1);
            loop.get('plan').get('chunk').i32(PLAN.bytes).mul().add().set('entry');
            body(loop);
            loop.increment('chunk').br(0);
        }));
    };
    const loopUpTo = (g, counter, limit, body) => {
        g.block((outer) => outer.loop((loop) => {
            loop.get(counter);
            limit();
            loop.geU().brIf(1);
            body(loop);
            loop.increment(counter).br(0);
        }));
    };
    // Pass 1: touch the directory slot of every block to visit.
    f.i32(0).set('touched');
    forEachChunk((g) => {
        g.get('entry').load32(PLAN.keyHigh).set('keyHigh');
        g.get('entry').load32(PLAN.directoryAt).set('directoryAt');
        g.get('masks').get('entry').load32(PLAN.masks).i32(2).shl().add().set('masksEnd');
        g.get('masks').set('mask');
        g.block((outer) => outer.loop((h) => {
            h.get('mask').get('masksEnd').geU().brIf(1);
            emitSlot(h);
            h.get('touched').get('slot').load32(0).xor().set('touched');
            h.increment('mask', 4).br(0);
        }));
    });
    // Keep each touched value live (in the spare bytes after the query) so the loads stay.
    f.get('query').get('touched').store32(32);
    // Pass 2 (mostly cache hits now): a record (address, end of its block) for every four entries
    // of every block, at least one a block, so that pass 4 filters a flat list with no inner loop: a
    // loop over a block's entries would mispredict its exit on half the blocks. Two records are written
    // for every block and the second kept if the block holds more than four entries; more than
    // eight is rare (one block in twenty at 10M). The flip masks come lightest first, so a chunk's
    // blocks come in runs by the number k of top bits flipped, each leaving a budget of
    // threshold − k for the low bits; where each run's records end goes to runEnds. The candidate
    // list must have room for every entry of every block plus the 16 bytes the last shuffle writes:
    // if not, give up (−1) and let the caller scan.
    f.get('records').set('recPtr').get('runEnds').set('runPtr').i32(0).set('total');
    forEachChunk((g) => {
        g.get('entry').load32(PLAN.keyHigh).set('keyHigh');
        g.get('entry').load32(PLAN.directoryAt).set('directoryAt');
        g.get('entry').load32(PLAN.entriesAt).set('entriesAt');
        g.get('entry').load32(PLAN.threshold).set('threshold');
        g.get('masks').set('mask');
        forEachRun(g, (run) => {
            run.get('weightEnds').get('weight').i32(2).shl().add().load32(0);
            run.i32(2).shl().get('masks').add().set('masksEnd');
            run.block((outer) => outer.loop((h) => {
                h.get('mask').get('masksEnd').geU().brIf(1);
                emitSlot(h);
                h.get('slot').load32(0).i32(2).shl().get('entriesAt').add().set('start');
                h.get('slot').load32(4).i32(2).shl().get('entriesAt').add().set('end');
                h.get('total').get('end').add().get('start').sub().tee('total');
                h.get('candCap').i32(2).shl().i32(16).sub().gtU();
                h.ifThen((full) => full.i32(-1).ret());
                h.get('recPtr').get('start').store32(0);
                h.get('recPtr').get('end').store32(4);
                h.get('recPtr').get('start').i32(16).add().store32(8);
                h.get('recPtr').get('end').store32(12);
                // Past the first record, and past the second if the block has more than four entries.
                h.get('recPtr').i32(8).add();
                h.get('end').get('start').sub().i32(16).gtS().i32(3).shl();
                h.add().set('recPtr');
                h.get('end').get('start').sub().i32(32).gtS();
                h.ifThen((large) => {
                    // Records from the ninth entry on.
                    large.get('start').i32(32).add().set('first');
                    large.block((rest) => rest.loop((more) => {
                        more.get('first').get('end').geU().brIf(1);
                        more.get('recPtr').get('first').store32(0);
                        more.get('recPtr').get('end').store32(4);
                        more.increment('recPtr', 8).increment('first', 16).br(0);
                    }));
                });
                h.increment('mask', 4).br(0);
            }));
            run.get('runPtr').get('recPtr').store32(0);
        });
    });
    // Pass 3: touch the 16 bytes of every record (one cache line, or two).
    f.i32(0).set('touched').get('records').set('i');
    loopUpTo(f, 'i', () => f.get('recPtr'), (h) => {
        h.get('touched').get('i').load32(0).tee('start').load32(0).xor();
        h.get('start').load32(12).xor().set('touched');
        h.increment('i', 7); // and 1 by loopUpTo: the next 8-byte record
    });
    f.get('query').get('touched').store32(36);
    // Pass 4: the entries within the threshold, chunk by chunk and run by run, copied whole (row
    // and low bits) to the candidate list. The last run (budget 0, nine blocks in ten) needs the low
    // bits equal, a cheaper test than counting differing bits. Each record's four entries are
    // filtered at once in SIMD and the kept ones packed to the front by a shuffle.
    f.get('cands').set('candPtr');
    f.get('lanes').v128Load(0).set('laneIndexes');
    f.get('records').set('i').get('runEnds').set('runPtr');
    forEachChunk((g) => {
        g.get('entry').get('candPtr').store32(PLAN.candidatesStart);
        g.get('entry').load32(PLAN.keyLow).i32x4Splat().set('keyLows');
        g.get('entry').load32(PLAN.lowMask).i32x4Splat().set('lowMasks');
        g.get('entry').load32(PLAN.threshold).set('threshold');
        forEachRun(g, (run) => {
            run.get('runPtr').load32(0).set('runEnd');
            run.get('threshold').get('weight').sub().tee('budget');
            run.ifThen((some) => {
                some.get('budget').i32(1).add().i32x4Splat().set('budgets');
                emitRecordRun(some, emitFilterWithinBudget);
            });
            run.get('budget').eqz();
            run.ifThen((none) => emitRecordRun(none, emitFilterEqual));
        });
        g.get('entry').get('candPtr').store32(PLAN.candidatesEnd);
    });
    // Pass 4b, only for a query with more candidates than `dedupeMin` (a query into a cluster,
    // whose members are candidates through eight chunks of eleven): drop the candidates an earlier
    // chunk already listed, so that each is touched and checked once. `seen` is a direct-mapped
    // table of 2^14 (row << 8 | generation) keys; `generation` (1–255) changes with every query,
    // so the segment clears the table only once in 255 queries. A collision only lets a repeat
    // through, which pass 6 still records once; a row is listed first through the first chunk
    // within its threshold, the one pass 6 records it through.
    f.get('candPtr').get('cands').sub().get('dedupeMin').i32(2).shl().gtU();
    f.ifThen((crowded) => {
        crowded.get('cands').set('writePtr');
        forEachChunk((g) => {
            g.get('entry').load32(PLAN.candidatesStart).set('i');
            g.get('entry').load32(PLAN.candidatesEnd).set('end');
            g.get('entry').get('writePtr').store32(PLAN.candidatesStart);
            g.block((outer) => outer.loop((h) => {
                h.get('i').get('end').geU().brIf(1);
                h.get('i').load32(0).set('candidate');
                h.get('candidate').i32(-256).and().get('generation').add().set('key');
                // Fibonacci hashing of the row to 14 bits.
                h.get('seen');
                h.get('candidate')
                    .i32(8)
                    .shrU()
                    .i32(-1640531535)
                    .mul()
                    .i32(32 - SEEN_BITS)
                    .shrU()
                    .i32(2)
                    .shl();
                h.add().set('seenSlot');
                h.get('seenSlot').load32(0).set('previous');
                h.get('seenSlot').get('key').store32(0);
                // Kept (the write pointer moves on) unless the same key was there: branch-free.
                h.get('writePtr').get('candidate').store32(0);
                h.get('writePtr').get('previous').get('key').ne().i32(2).shl().add().set('writePtr');
                h.increment('i', 4).br(0);
            }));
            g.get('entry').get('writePtr').store32(PLAN.candidatesEnd);
        });
        crowded.get('writePtr').set('candPtr');
    });
    // Pass 5: touch every candidate's hash.
    f.i32(0).set('touched').get('cands').set('i');
    loopUpTo(f, 'i', () => f.get('candPtr'), (h) => {
        h.get('touched');
        h.get('i').load32(0).i32(8).shrU().i32(5).shl().get('hashes').add().load32(0);
        h.xor().set('touched');
        h.increment('i', 3);
    });
    f.get('query').get('touched').store32(40);
    // Pass 6: the candidates' distances; a match is recorded through the first chunk that finds it.
    emitLoadQuery(f);
    f.i32(0).set('outCount');
    forEachChunk((g) => {
        g.get('entry').load32(PLAN.candidatesStart).set('i');
        loopUpTo(g, 'i', () => g.get('entry').load32(PLAN.candidatesEnd), (h) => {
            h.get('i').load32(0).i32(8).shrU().tee('row');
            h.i32(5).shl().get('hashes').add().set('ptr');
            emitDistance(h);
            h.get('distance').get('radius').leU();
            h.ifThen((match) => {
                emitFoundEarlier(match);
                match.get('found').eqz();
                match.ifThen((record) => emitRecordMatch(record, 'row'));
            });
            h.increment('i', 3);
        });
    });
    f.get('outCount');
    return f;
}
/**
 * Emits: `body` for each run of a chunk's blocks, weight 0 … `threshold` (blocks reached by
 * flipping that many directory bits), then moves `runPtr` to the next run's end in runEnds.
 */
function forEachRun(f, body) {
    f.i32(0).set('weight');
    f.block((outer) => outer.loop((run) => {
        run.get('weight').get('threshold').gtS().brIf(1);
        body(run);
        run.increment('runPtr', 4).increment('weight').br(0);
    }));
}
/** Emits: `slot` = &directory[keyHigh ^ mask]; the block's entries run to the next slot's. */
function emitSlot(f) {
    f.get('directoryAt').get('keyHigh').get('mask').load32(0).xor().i32(2).shl().add().set('slot');
}
/** Emits: `filter` and pack for each record from `i` (an address) to `runEnd`. */
function emitRecordRun(f, filter) {
    f.block((outer) => outer.loop((records) => {
        records.get('i').get('runEnd').geU().brIf(1);
        records.get('i').load32(0).set('start');
        records.get('i').load32(4).set('end');
        filter(records);
        emitPackKept(records);
        records.increment('i', 8).br(0);
    }));
}
/**
 * Emits: pushes the lanes of the four entries at `start` that lie before `end` (an all-ones
 * mask). Sizes and lane numbers are small, so a signed compare does (one x86 instruction).
 */
function emitInBlock(f) {
    f.get('end').get('start').sub().i32(2).shrU().i32x4Splat().get('laneIndexes').i32x4GtS();
}
/** Emits: `kept` = the lanes of the four entries at `start` whose low bits equal the query's. */
function emitFilterEqual(f) {
    f.get('start').v128Load(0).tee('items').get('lowMasks').v128And().get('keyLows').i32x4Eq();
    emitInBlock(f);
    f.v128And().i32x4Bitmask().set('kept');
}
/** Emits: `kept` = the lanes whose low bits differ from the query's in at most the run's budget. */
function emitFilterWithinBudget(f) {
    f.get('budgets');
    f.get('start').v128Load(0).tee('items').get('keyLows').v128Xor().get('lowMasks').v128And().i8x16Popcnt();
    f.i32x4GtS();
    emitInBlock(f);
    f.v128And().i32x4Bitmask().set('kept');
}
/** Emits: appends the `kept` lanes of `items`, whole, at `candPtr` (always writes 16 bytes). */
function emitPackKept(f) {
    f.get('candPtr');
    f.get('items').get('shuffles').get('kept').i32(4).shl().add().v128Load(0).i8x16Swizzle();
    f.v128Store(0);
    f.get('candPtr').get('kept').popcnt().i32(2).shl().add().set('candPtr');
}
/**
 * The shuffles that pack the kept lanes of four 32-bit lanes to the front: entry k (16 bytes) is
 * for the 4-bit mask k of kept lanes. Written into each segment's memory (see pdq-segment.ts).
 */
export function packShuffles() {
    const table = new Uint8Array(16 * 16).fill(0x80);
    for (let kept = 0; kept < 16; kept++) {
        let to = 0;
        for (let lane = 0; lane < 4; lane++) {
            if ((kept & (1 << lane)) === 0)
                continue;
            for (let b = 0; b < 4; b++)
                table[kept * 16 + to * 4 + b] = lane * 4 + b;
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
function emitFoundEarlier(f) {
    f.i32(0).set('found').i32(0).set('earlier');
    f.block((outer) => outer.loop((loop) => {
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
    }));
}
