import { describe, expect, it } from 'vitest';
import { popcount32 } from '../pdq/hash256.ts';
import {
  SIMHASH_NEAR_DUPLICATE_DISTANCE,
  simHashFromHex,
  simHashToHex,
  textSha256,
  textSimHash,
} from './text-fingerprints.ts';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** Synthetic messages: pseudo-words built from common Indonesian-like syllables. */
function corpus(seed: number) {
  const random = seeded(seed);
  const syllables = [
    'ba',
    'ka',
    'ta',
    'ma',
    'na',
    'ra',
    'sa',
    'la',
    'di',
    'ku',
    'mu',
    'ng',
    'an',
    'in',
    'un',
  ];
  const vocabulary = Array.from({ length: 3000 }, () =>
    Array.from(
      { length: 1 + Math.floor(random() * 3) },
      () => syllables[Math.floor(random() * syllables.length)],
    ).join(''),
  );
  const word = () => vocabulary[Math.floor(random() * vocabulary.length)] as string;
  const text = (words: number) => Array.from({ length: words }, word).join(' ');
  const edit = (original: string, edits: number) => {
    const words = original.split(' ');
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(random() * words.length);
      const operation = Math.floor(random() * 3);
      if (operation === 0) words[at] = word();
      else if (operation === 1) words.splice(at, 0, word());
      else words.splice(at, 1);
    }
    return words.join(' ');
  };
  return { text, edit, random };
}

function distance(a: string, b: string): number {
  const x = textSimHash(a);
  const y = textSimHash(b);
  return popcount32(x.high ^ y.high) + popcount32(x.low ^ y.low);
}

describe('normalised text hash', () => {
  it('is equal for texts that differ only by case, invisible characters, diacritics and spacing', () => {
    expect(textSha256('Amaq  News\u200b Agency')).toBe(textSha256('amaq news agency'));
    expect(textSha256('أَعْمَاق')).toBe(textSha256('اعماق'));
    expect(textSha256('amaq news')).not.toBe(textSha256('amaq newz'));
    expect(textSha256('abc')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('near-duplicate fingerprint', () => {
  it('round-trips through 16 hex digits', () => {
    const hash = textSimHash('a short message about nothing in particular');
    expect(simHashToHex(hash)).toMatch(/^[0-9a-f]{16}$/);
    expect(simHashFromHex(simHashToHex(hash))).toEqual(hash);
    expect(() => simHashFromHex('xyz')).toThrow(/not a SimHash/);
  });

  it('ignores evasions the normaliser removes', () => {
    const { text } = corpus(1);
    const original = text(40);
    const disguised = original.toUpperCase().replaceAll(' ', ' \u200b ');
    expect(distance(original, disguised)).toBe(0);
  });

  it(`puts one-edit copies within ${SIMHASH_NEAR_DUPLICATE_DISTANCE} bits and unrelated texts well beyond`, () => {
    const { text, edit, random } = corpus(7);
    const near: number[] = [];
    const unrelated: number[] = [];
    for (let i = 0; i < 300; i++) {
      const original = text(40 + Math.floor(random() * 20));
      near.push(distance(original, edit(original, 1)));
      unrelated.push(distance(original, text(40 + Math.floor(random() * 20))));
    }
    const within = near.filter((d) => d <= SIMHASH_NEAR_DUPLICATE_DISTANCE).length;
    expect(within / near.length).toBeGreaterThanOrEqual(0.97);
    expect(Math.min(...unrelated)).toBeGreaterThan(SIMHASH_NEAR_DUPLICATE_DISTANCE + 5);
  });

  it('keeps most three-edit copies within the threshold too', () => {
    const { text, edit, random } = corpus(11);
    const near: number[] = [];
    for (let i = 0; i < 300; i++) {
      const original = text(40 + Math.floor(random() * 20));
      near.push(distance(original, edit(original, 3)));
    }
    expect(
      near.filter((d) => d <= SIMHASH_NEAR_DUPLICATE_DISTANCE).length / near.length,
    ).toBeGreaterThanOrEqual(0.7);
  });
});
