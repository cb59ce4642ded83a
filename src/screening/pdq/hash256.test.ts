import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPdqHex, pdqDistance, pdqFromHex, pdqGetBit, pdqSetBit, pdqToHex, popcount32 } from './hash256.ts';

const hexHash = fc.stringMatching(/^[0-9a-f]{64}$/);

describe('PDQ hex format', () => {
  it('round-trips any 64-digit hex string', () => {
    fc.assert(fc.property(hexHash, (hex) => pdqToHex(pdqFromHex(hex)) === hex));
  });

  it("prints bit 0 as the last hex digit and bit 255 as the first, as the reference's word order does", () => {
    const low = new Uint32Array(8);
    pdqSetBit(low, 0);
    expect(pdqToHex(low)).toBe(`${'0'.repeat(63)}1`);
    const high = new Uint32Array(8);
    pdqSetBit(high, 255);
    expect(pdqToHex(high)).toBe(`8${'0'.repeat(63)}`);
    // Bit 16 starts the reference's second 16-bit word: the fifth digit from the end.
    const word1 = new Uint32Array(8);
    pdqSetBit(word1, 16);
    expect(pdqToHex(word1)).toBe(`${'0'.repeat(59)}10000`);
    expect(pdqGetBit(word1, 16)).toBe(1);
  });

  it('accepts upper case and refuses anything that is not 64 hex digits', () => {
    expect(pdqToHex(pdqFromHex('A'.repeat(64)))).toBe('a'.repeat(64));
    expect(isPdqHex('a'.repeat(63))).toBe(false);
    expect(() => pdqFromHex(`${'a'.repeat(63)}g`)).toThrow(/not a PDQ hash/);
  });
});

describe('Hamming distance', () => {
  it('counts the bits that differ, symmetrically', () => {
    fc.assert(
      fc.property(hexHash, hexHash, (a, b) => {
        const x = pdqFromHex(a);
        const y = pdqFromHex(b);
        let slow = 0;
        for (let k = 0; k < 256; k++) slow += pdqGetBit(x, k) ^ pdqGetBit(y, k);
        return pdqDistance(x, y) === slow && pdqDistance(y, x) === slow && pdqDistance(x, x) === 0;
      }),
    );
  });

  it('counts set bits of any 32-bit word', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        (w) => popcount32(w) === w.toString(2).split('1').length - 1,
      ),
    );
  });
});
