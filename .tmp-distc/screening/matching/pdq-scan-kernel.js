import { emitHalfDistance, emitLoadQuery, emitRecordMatch, QUERY_LOCALS } from "./pdq-kernel-common.js";
import { FunctionBody } from "./wasm-assembler.js";
/** Emits: records the row in `rowLocal` at `out` if the hash at `ptr` is within `radius`. */
function emitCheckAndRecord(f, rowLocal) {
    // 128 bits first: on a random hash they almost always exceed the radius already. (Not
    // emitDistance: the compare nested in the second branch keeps this loop 18 % faster.)
    emitHalfDistance(f, 0, 'q0', 'q1');
    f.tee('distance').get('radius').leU();
    f.ifThen((g) => {
        g.get('distance');
        emitHalfDistance(g, 16, 'q2', 'q3');
        g.add().tee('distance').get('radius').leU();
        g.ifThen((h) => emitRecordMatch(h, rowLocal));
    });
}
/** scan(hashes, first, end, query, radius, out, outCount, outCap): rows first ≤ row < end. */
export function scanKernel() {
    const f = new FunctionBody('scan', [
        ['hashes', 'i32'],
        ['first', 'i32'],
        ['end', 'i32'],
        ['query', 'i32'],
        ['radius', 'i32'],
        ['out', 'i32'],
        ['outCount', 'i32'],
        ['outCap', 'i32'],
    ], ['i32'], [...QUERY_LOCALS, ['row', 'i32']]);
    emitLoadQuery(f);
    f.get('first').set('row');
    f.get('hashes').get('first').i32(5).shl().add().set('ptr');
    f.block((outer) => outer.loop((body) => {
        body.get('row').get('end').geU().brIf(1);
        emitCheckAndRecord(body, 'row');
        body.increment('ptr', 32).increment('row').br(0);
    }));
    f.get('outCount');
    return f;
}
