export const PDQ_WORDS = 8;
export const PDQ_BITS = 256;
const HEX_PATTERN = /^[0-9a-fA-F]{64}$/;
export function isPdqHex(text) {
    return HEX_PATTERN.test(text);
}
/** Parses a 64-digit hex PDQ hash (either case). Throws on anything else. */
export function pdqFromHex(hex) {
    if (!HEX_PATTERN.test(hex)) {
        throw new TypeError(`'${hex.slice(0, 80)}' is not a PDQ hash (64 hexadecimal digits)`);
    }
    const words = new Uint32Array(PDQ_WORDS);
    for (let w = 0; w < PDQ_WORDS; w++) {
        const start = (PDQ_WORDS - 1 - w) * 8;
        words[w] = Number.parseInt(hex.slice(start, start + 8), 16) >>> 0;
    }
    return words;
}
/** Writes the hash as the reference prints it: 64 lower-case hex digits. */
export function pdqToHex(words, offset = 0) {
    let hex = '';
    for (let w = PDQ_WORDS - 1; w >= 0; w--) {
        hex += ((words[offset + w] ?? 0) >>> 0).toString(16).padStart(8, '0');
    }
    return hex;
}
export function pdqGetBit(hash, bit) {
    return (((hash[bit >>> 5] ?? 0) >>> (bit & 31)) & 1);
}
export function pdqSetBit(hash, bit) {
    hash[bit >>> 5] = ((hash[bit >>> 5] ?? 0) | (1 << (bit & 31))) >>> 0;
}
/** Bits set in a 32-bit word (SWAR: V8 has no popcount instruction to reach from JS). */
export function popcount32(value) {
    let x = value - ((value >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    return Math.imul(x, 0x01010101) >>> 24;
}
/** Hamming distance between hash `a` at word offset `aOffset` and hash `b` at `bOffset`. */
export function pdqDistance(a, b, aOffset = 0, bOffset = 0) {
    let distance = 0;
    for (let w = 0; w < PDQ_WORDS; w++) {
        distance += popcount32(((a[aOffset + w] ?? 0) ^ (b[bOffset + w] ?? 0)) >>> 0);
    }
    return distance;
}
