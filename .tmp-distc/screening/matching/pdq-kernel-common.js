/** What both PDQ kernels share: the query in four 64-bit locals, and a distance check. */
export function emitLoadQuery(f) {
    f.get('query').load64(0).set('q0');
    f.get('query').load64(8).set('q1');
    f.get('query').load64(16).set('q2');
    f.get('query').load64(24).set('q3');
}
export const QUERY_LOCALS = [
    ['q0', 'i64'],
    ['q1', 'i64'],
    ['q2', 'i64'],
    ['q3', 'i64'],
    ['ptr', 'i32'],
    ['distance', 'i32'],
];
/**
 * Emits: pushes the distance between 128 bits of the hash at `ptr` (from byte `offset`) and the
 * query's (locals `a` and `b`), as an i32.
 */
export function emitHalfDistance(f, offset, a, b) {
    f.get('ptr').load64(offset).get(a).xor64().popcnt64();
    f.get('ptr')
        .load64(offset + 8)
        .get(b)
        .xor64()
        .popcnt64();
    f.add64().wrap64();
}
/** Emits: `distance` = distance of the hash at `ptr` from the query (q0…q3). */
export function emitDistance(f) {
    emitHalfDistance(f, 0, 'q0', 'q1');
    f.set('distance');
    // 128 bits first: on a random candidate they almost always exceed the radius already.
    f.get('distance').get('radius').leU();
    f.ifThen((g) => {
        g.get('distance');
        emitHalfDistance(g, 16, 'q2', 'q3');
        g.add().set('distance');
    });
}
/**
 * Emits: appends (row in `rowLocal`, `distance`) at `out`, or returns −1 from the kernel when
 * `outCap` matches are already there (the caller then scans in pieces).
 */
export function emitRecordMatch(f, rowLocal) {
    f.get('outCount').get('outCap').geU();
    f.ifThen((x) => x.i32(-1).ret());
    f.get('out').get('outCount').i32(3).shl().add().get(rowLocal).store32(0);
    f.get('out').get('outCount').i32(3).shl().add().get('distance').store32(4);
    f.increment('outCount');
}
