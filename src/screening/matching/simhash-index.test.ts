import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { popcount32 } from '../pdq/hash256.ts';
import { SimHashIndex } from './simhash-index.ts';

const simHash = fc.record({ high: fc.nat({ max: 0xffffffff }), low: fc.nat({ max: 0xffffffff }) });

/** Hashes near a few centres, so that radius queries have answers. */
const clusteredSet = fc
  .tuple(
    fc.array(simHash, { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(), fc.array(fc.nat({ max: 63 }), { maxLength: 12 })), { maxLength: 80 }),
  )
  .map(([centres, members]) =>
    members.map(([c, flips]) => {
      const centre = centres[c % centres.length] as { high: number; low: number };
      let { high, low } = centre;
      for (const bit of flips) {
        if (bit < 32) low = (low ^ (1 << bit)) >>> 0;
        else high = (high ^ (1 << (bit - 32))) >>> 0;
      }
      return { high, low };
    }),
  );

describe('SimHash index', () => {
  it('returns exactly the brute-force set, through removals, at every radius', () => {
    fc.assert(
      fc.property(
        clusteredSet,
        fc.array(fc.nat(), { maxLength: 20 }),
        simHash,
        (hashes, removals, random) => {
          const index = new SimHashIndex();
          const alive = new Map<number, { high: number; low: number }>();
          for (const hash of hashes) alive.set(index.add(hash), hash);
          for (const r of removals) {
            const id = r % Math.max(1, hashes.length);
            expect(index.remove(id)).toBe(alive.delete(id));
          }
          for (const query of [hashes[0] ?? random, random]) {
            for (const radius of [0, 1, 3, 10, 16, 40]) {
              const expected = [...alive]
                .map(([id, h]) => ({
                  id,
                  distance: popcount32((h.high ^ query.high) >>> 0) + popcount32((h.low ^ query.low) >>> 0),
                }))
                .filter((m) => m.distance <= radius)
                .sort((a, b) => a.distance - b.distance || a.id - b.id);
              expect(index.query(query, radius)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
