import { PDQ_WORDS, popcount32 } from "../pdq/hash256.js";
/** Matches in a stable order: nearest first, then by id. */
export function compareMatches(a, b) {
    return a.distance - b.distance || a.id - b.id;
}
/**
 * Every row of `hashes` (8 words a row) within `radius` of `query`, by checking them all, in plain
 * TypeScript. The reference answer the index must reproduce exactly, and the baseline it is
 * measured against.
 */
export function bruteForcePdq(hashes, query, radius) {
    const matches = [];
    const rows = Math.floor(hashes.length / PDQ_WORDS);
    const q0 = query[0];
    const q1 = query[1];
    const q2 = query[2];
    const q3 = query[3];
    const q4 = query[4];
    const q5 = query[5];
    const q6 = query[6];
    const q7 = query[7];
    for (let row = 0; row < rows; row++) {
        const at = row * PDQ_WORDS;
        // Half the hash first: past the radius already for almost every row.
        let distance = popcount32(hashes[at] ^ q0) +
            popcount32(hashes[at + 1] ^ q1) +
            popcount32(hashes[at + 2] ^ q2) +
            popcount32(hashes[at + 3] ^ q3);
        if (distance > radius)
            continue;
        distance +=
            popcount32(hashes[at + 4] ^ q4) +
                popcount32(hashes[at + 5] ^ q5) +
                popcount32(hashes[at + 6] ^ q6) +
                popcount32(hashes[at + 7] ^ q7);
        if (distance <= radius)
            matches.push({ id: row, distance });
    }
    return matches.sort(compareMatches);
}
