import { PDQ_WORDS, popcount32 } from '../pdq/hash256.ts';

export interface PdqMatch {
  /** The id the index gave the hash (for a brute-force scan: its row). */
  readonly id: number;
  readonly distance: number;
}

/** Matches in a stable order: nearest first, then by id. */
export function compareMatches(a: PdqMatch, b: PdqMatch): number {
  return a.distance - b.distance || a.id - b.id;
}

/**
 * Every row of `hashes` (8 words a row) within `radius` of `query`, by checking them all, in plain
 * TypeScript. The reference answer the index must reproduce exactly, and the baseline it is
 * measured against.
 */
export function bruteForcePdq(hashes: Uint32Array, query: Uint32Array, radius: number): PdqMatch[] {
  const matches: PdqMatch[] = [];
  const rows = Math.floor(hashes.length / PDQ_WORDS);
  const q0 = query[0] as number;
  const q1 = query[1] as number;
  const q2 = query[2] as number;
  const q3 = query[3] as number;
  const q4 = query[4] as number;
  const q5 = query[5] as number;
  const q6 = query[6] as number;
  const q7 = query[7] as number;
  for (let row = 0; row < rows; row++) {
    const at = row * PDQ_WORDS;
    // Half the hash first: past the radius already for almost every row.
    let distance =
      popcount32((hashes[at] as number) ^ q0) +
      popcount32((hashes[at + 1] as number) ^ q1) +
      popcount32((hashes[at + 2] as number) ^ q2) +
      popcount32((hashes[at + 3] as number) ^ q3);
    if (distance > radius) continue;
    distance +=
      popcount32((hashes[at + 4] as number) ^ q4) +
      popcount32((hashes[at + 5] as number) ^ q5) +
      popcount32((hashes[at + 6] as number) ^ q6) +
      popcount32((hashes[at + 7] as number) ^ q7);
    if (distance <= radius) matches.push({ id: row, distance });
  }
  return matches.sort(compareMatches);
}
