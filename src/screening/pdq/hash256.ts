/**
 * A PDQ hash is 256 bits. We keep it as eight 32-bit words (a Uint32Array of length 8) so that
 * a bank of hashes is one flat Uint32Array and distances are eight XOR-popcounts.
 *
 * Bit k (0 ≤ k < 256) is DCT coefficient (row k >> 4, column k & 15) of the 16×16 output. It
 * lives in word k >> 5, bit k & 31.
 *
 * The reference (pdq/cpp/common/pdqhashtypes.cpp) stores sixteen 16-bit words, bit k in word
 * k >> 4, and prints them from word 15 down to word 0 with "%04hx". The hex string is therefore
 * the 256-bit number written most-significant digit first: the first 8 hex digits are our word
 * 7, the last 8 our word 0.
 */
export type PdqHash = Uint32Array;

export const PDQ_WORDS = 8;
export const PDQ_BITS = 256;

const HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

export function isPdqHex(text: string): boolean {
  return HEX_PATTERN.test(text);
}

/** Parses a 64-digit hex PDQ hash (either case). Throws on anything else. */
export function pdqFromHex(hex: string): PdqHash {
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
export function pdqToHex(words: ArrayLike<number>, offset = 0): string {
  let hex = '';
  for (let w = PDQ_WORDS - 1; w >= 0; w--) {
    hex += ((words[offset + w] ?? 0) >>> 0).toString(16).padStart(8, '0');
  }
  return hex;
}

export function pdqGetBit(hash: PdqHash, bit: number): 0 | 1 {
  return (((hash[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) as 0 | 1;
}

export function pdqSetBit(hash: PdqHash, bit: number): void {
  hash[bit >>> 5] = ((hash[bit >>> 5] ?? 0) | (1 << (bit & 31))) >>> 0;
}

/** Bits set in a 32-bit word (SWAR: V8 has no popcount instruction to reach from JS). */
export function popcount32(value: number): number {
  let x = value - ((value >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between hash `a` at word offset `aOffset` and hash `b` at `bOffset`. */
export function pdqDistance(a: ArrayLike<number>, b: ArrayLike<number>, aOffset = 0, bOffset = 0): number {
  let distance = 0;
  for (let w = 0; w < PDQ_WORDS; w++) {
    distance += popcount32(((a[aOffset + w] ?? 0) ^ (b[bOffset + w] ?? 0)) >>> 0);
  }
  return distance;
}
