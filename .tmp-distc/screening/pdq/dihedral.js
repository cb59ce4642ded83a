/**
 * The eight dihedral transforms (rotations and mirrors) of an image, applied in the DCT domain.
 * Mirroring an image along an axis negates its odd-frequency coefficients along that axis;
 * a quarter turn or a diagonal mirror transposes the matrix. So one DCT yields the hashes of all
 * eight orientations, which is how rotated or mirrored reposts are found.
 *
 * Order and naming are the reference's (pdq-photo-hasher --pdqdih): original, rot90, rot180,
 * rot270, flipx, flipy, flip_plus1, flip_minus1. Its rot90 is the image turned a quarter
 * counter-clockwise (as the reference's dih/bridge-2-rotate-90.jpg shows). Indices are those of the reference's loops:
 * i is the row (vertical frequency), j the column; frequency index 0 holds DCT coefficient 1,
 * so "even index" means "odd frequency".
 */
export const DIHEDRAL_NAMES = [
    'original',
    'rot90',
    'rot180',
    'rot270',
    'flipx',
    'flipy',
    'flip_plus1',
    'flip_minus1',
];
const TRANSFORMS = {
    original: { transpose: false, negate: () => false },
    rot90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
    rot180: { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 },
    rot270: { transpose: true, negate: (i) => (i & 1) === 0 },
    flipx: { transpose: false, negate: (i) => (i & 1) === 0 },
    flipy: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
    flip_plus1: { transpose: true, negate: () => false },
    flip_minus1: { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 },
};
/** The 16×16 DCT of the transformed image, from the original's. */
export function transformDct16(name, input, output) {
    const { transpose, negate } = TRANSFORMS[name];
    for (let i = 0; i < 16; i++) {
        for (let j = 0; j < 16; j++) {
            const value = input[i * 16 + j];
            output[transpose ? j * 16 + i : i * 16 + j] = negate(i, j) ? -value : value;
        }
    }
}
