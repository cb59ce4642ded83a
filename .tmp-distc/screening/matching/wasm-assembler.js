/**
 * A very small WebAssembly assembler: enough to write the matcher's hot loops (i32/i64
 * arithmetic, a few 128-bit SIMD operations, loads and stores, blocks and loops) as TypeScript and get a module's bytes at load
 * time. We write our kernels this way rather than shipping a compiled .wasm so that the source is
 * the only artefact: no toolchain, no build step, nothing opaque in the repository.
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/ (sections, LEB128, opcodes).
 */
const VALUE_TYPE_CODE = { i32: 0x7f, i64: 0x7e, v128: 0x7b };
function unsignedLeb(value) {
    const out = [];
    let rest = value >>> 0;
    do {
        let byte = rest & 0x7f;
        rest >>>= 7;
        if (rest !== 0)
            byte |= 0x80;
        out.push(byte);
    } while (rest !== 0);
    return out;
}
function signedLeb(value) {
    const out = [];
    let rest = value | 0;
    for (;;) {
        const byte = rest & 0x7f;
        rest >>= 7;
        if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}
function signedLeb64(value) {
    const out = [];
    let rest = BigInt.asIntN(64, value);
    for (;;) {
        const byte = Number(rest & 0x7fn);
        rest >>= 7n;
        if ((rest === 0n && (byte & 0x40) === 0) || (rest === -1n && (byte & 0x40) !== 0)) {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}
function name(text) {
    const bytes = [...new TextEncoder().encode(text)];
    return [...unsignedLeb(bytes.length), ...bytes];
}
function vector(items) {
    return [...unsignedLeb(items.length), ...items.flat()];
}
function section(id, body) {
    return [id, ...unsignedLeb(body.length), ...body];
}
/**
 * The body of one function, written as a stack machine. Parameters and locals are referred to by
 * name. Memory accesses take a byte offset added to the address on the stack.
 */
export class FunctionBody {
    exportName;
    params;
    results;
    code = [];
    slots = new Map();
    locals = [];
    constructor(exportName, params, results, locals) {
        this.exportName = exportName;
        this.params = params;
        this.results = results;
        for (const [key] of params)
            this.slots.set(key, this.slots.size);
        for (const [key, type] of locals) {
            this.slots.set(key, this.slots.size);
            this.locals.push(type);
        }
    }
    slot(key) {
        const index = this.slots.get(key);
        if (index === undefined)
            throw new Error(`${this.exportName}: no local named '${key}'`);
        return index;
    }
    emit(...bytes) {
        this.code.push(...bytes);
        return this;
    }
    get(key) {
        return this.emit(0x20, ...unsignedLeb(this.slot(key)));
    }
    set(key) {
        return this.emit(0x21, ...unsignedLeb(this.slot(key)));
    }
    tee(key) {
        return this.emit(0x22, ...unsignedLeb(this.slot(key)));
    }
    i32(value) {
        return this.emit(0x41, ...signedLeb(value));
    }
    i64(value) {
        return this.emit(0x42, ...signedLeb64(value));
    }
    /** Pushes a local plus a constant: the common "pointer + offset" and "counter + 1". */
    getPlus(key, value) {
        return this.get(key).i32(value).add();
    }
    /** local += value */
    increment(key, value = 1) {
        return this.getPlus(key, value).set(key);
    }
    load32(offset = 0) {
        return this.emit(0x28, 2, ...unsignedLeb(offset));
    }
    load64(offset = 0) {
        return this.emit(0x29, 3, ...unsignedLeb(offset));
    }
    /** A 64-bit load from any byte address (alignment hint 1). */
    load64Unaligned(offset = 0) {
        return this.emit(0x29, 0, ...unsignedLeb(offset));
    }
    store32(offset = 0) {
        return this.emit(0x36, 2, ...unsignedLeb(offset));
    }
    add() {
        return this.emit(0x6a);
    }
    sub() {
        return this.emit(0x6b);
    }
    mul() {
        return this.emit(0x6c);
    }
    eqz() {
        return this.emit(0x45);
    }
    and() {
        return this.emit(0x71);
    }
    xor() {
        return this.emit(0x73);
    }
    shl() {
        return this.emit(0x74);
    }
    shrU() {
        return this.emit(0x76);
    }
    ne() {
        return this.emit(0x47);
    }
    eq() {
        return this.emit(0x46);
    }
    /** Signed a ≤ b. */
    leS() {
        return this.emit(0x4c);
    }
    popcnt() {
        return this.emit(0x69);
    }
    /** Unsigned comparisons: a < b, a ≤ b, a ≥ b. */
    ltU() {
        return this.emit(0x49);
    }
    gtS() {
        return this.emit(0x4a);
    }
    gtU() {
        return this.emit(0x4b);
    }
    leU() {
        return this.emit(0x4d);
    }
    geU() {
        return this.emit(0x4f);
    }
    xor64() {
        return this.emit(0x85);
    }
    and64() {
        return this.emit(0x83);
    }
    sub64() {
        return this.emit(0x7d);
    }
    shl64() {
        return this.emit(0x86);
    }
    popcnt64() {
        return this.emit(0x7b);
    }
    add64() {
        return this.emit(0x7c);
    }
    wrap64() {
        return this.emit(0xa7);
    }
    extendU() {
        return this.emit(0xad);
    }
    shrU64() {
        return this.emit(0x88);
    }
    // 128-bit SIMD (0xFD prefix, then the operation's number as LEB128; final numbering of the
    // fixed-width SIMD proposal, part of WebAssembly 2.0).
    simd(op, ...immediates) {
        return this.emit(0xfd, ...unsignedLeb(op), ...immediates);
    }
    /** A 128-bit load from any byte address (alignment hint 1). */
    v128Load(offset = 0) {
        return this.simd(0x00, 0, ...unsignedLeb(offset));
    }
    v128Store(offset = 0) {
        return this.simd(0x0b, 0, ...unsignedLeb(offset));
    }
    /** Picks bytes of the first vector by the indexes in the second (an index ≥ 16 gives 0). */
    i8x16Swizzle() {
        return this.simd(0x0e);
    }
    i32x4Splat() {
        return this.simd(0x11);
    }
    /** Lane-wise a = b: all ones where true. */
    i32x4Eq() {
        return this.simd(0x37);
    }
    /** Lane-wise signed a > b: all ones where true (one instruction on x86, unlike unsigned). */
    i32x4GtS() {
        return this.simd(0x3b);
    }
    v128And() {
        return this.simd(0x4e);
    }
    v128Xor() {
        return this.simd(0x51);
    }
    /** The population count of each byte. */
    i8x16Popcnt() {
        return this.simd(0x62);
    }
    /** An i32 whose bit k is the top bit of lane k. */
    i32x4Bitmask() {
        return this.simd(0xa4);
    }
    /** block … end: `br 0` inside (outside any nested construct) jumps past the end. */
    block(inner) {
        this.emit(0x02, 0x40);
        inner(this);
        return this.emit(0x0b);
    }
    /** loop … end: `br 0` inside jumps back to the start. */
    loop(inner) {
        this.emit(0x03, 0x40);
        inner(this);
        return this.emit(0x0b);
    }
    /** if … end, on the i32 on the stack. */
    ifThen(inner) {
        this.emit(0x04, 0x40);
        inner(this);
        return this.emit(0x0b);
    }
    br(depth) {
        return this.emit(0x0c, ...unsignedLeb(depth));
    }
    brIf(depth) {
        return this.emit(0x0d, ...unsignedLeb(depth));
    }
    ret() {
        return this.emit(0x0f);
    }
}
/** A module that imports its memory as env.memory and exports each function by name. */
export function assembleModule(functions) {
    const types = functions.map((f) => [
        0x60,
        ...vector(f.params.map(([, type]) => [VALUE_TYPE_CODE[type]])),
        ...vector(f.results.map((type) => [VALUE_TYPE_CODE[type]])),
    ]);
    const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)];
    const codes = functions.map((f) => {
        // Locals are declared as runs of one type.
        const runs = [];
        for (const type of f.locals) {
            const last = runs[runs.length - 1];
            if (last && last[1] === VALUE_TYPE_CODE[type])
                last[0] = last[0] + 1;
            else
                runs.push([1, VALUE_TYPE_CODE[type]]);
        }
        const body = [
            ...vector(runs.map(([count, code]) => [...unsignedLeb(count), code])),
            ...f.code,
            0x0b,
        ];
        return [...unsignedLeb(body.length), ...body];
    });
    return new Uint8Array([
        0x00,
        0x61,
        0x73,
        0x6d,
        0x01,
        0x00,
        0x00,
        0x00,
        ...section(1, vector(types)),
        ...section(2, vector([memoryImport])),
        ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
        ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...unsignedLeb(i)]))),
        ...section(10, vector(codes)),
    ]);
}
