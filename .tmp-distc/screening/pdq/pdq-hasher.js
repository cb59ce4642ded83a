import { dct64To16 } from "./dct.js";
import { DIHEDRAL_NAMES, transformDct16 } from "./dihedral.js";
import { PDQ_WORDS, pdqToHex } from "./hash256.js";
import { decimateTo, jaroszFilter, jaroszWindowSize, PDQ_TENT_PASSES } from "./jarosz-filter.js";
import { lumaFromPixels } from "./luminance.js";
import { assertPixelImage } from "./pixels.js";
import { pdqQuality } from "./quality.js";
import { torbenMedian } from "./torben-median.js";
/** Below this side (after the 512 px resize) the reference returns an all-zero hash, quality 0. */
export const PDQ_MIN_SIDE = 5;
/** The 16×16 DCT of the luma plane and the quality, as the reference's pdqFloat256FromFloatLuma. */
function dctAndQuality(plane, skipBlurAt64) {
    const { rows, cols } = plane;
    const buffer64x64 = new Float32Array(64 * 64);
    if (skipBlurAt64 && rows === 64 && cols === 64) {
        // Already 64×64 (e.g. a video frame downsampled by ffmpeg): the reference uses it as is.
        buffer64x64.set(plane.luma);
    }
    else {
        const buffer1 = plane.luma;
        const buffer2 = new Float32Array(rows * cols);
        jaroszFilter(buffer1, buffer2, rows, cols, jaroszWindowSize(cols, 64), jaroszWindowSize(rows, 64), PDQ_TENT_PASSES);
        decimateTo(buffer1, rows, cols, buffer64x64, 64, 64);
    }
    const quality = pdqQuality(buffer64x64);
    const dct = new Float32Array(16 * 16);
    dct64To16(buffer64x64, new Float32Array(16 * 64), dct);
    return { dct, quality };
}
/** One bit per coefficient: set when it is above the median of the 256. */
function bitsFromDct(dct, quality) {
    const median = torbenMedian(dct);
    const hash = new Uint32Array(PDQ_WORDS);
    for (let k = 0; k < 256; k++) {
        if (dct[k] > median)
            hash[k >>> 5] = (hash[k >>> 5] | (1 << (k & 31))) >>> 0;
    }
    return { hash, hex: pdqToHex(hash), quality };
}
function zeroResult() {
    const hash = new Uint32Array(PDQ_WORDS);
    return { hash, hex: pdqToHex(hash), quality: 0 };
}
function isTooSmall(plane) {
    return plane.rows < PDQ_MIN_SIDE || plane.cols < PDQ_MIN_SIDE;
}
/** PDQ of a luma plane (already resized to at most 512×512). The plane's buffer is blurred in place. */
export function pdqFromLuma(plane) {
    if (isTooSmall(plane))
        return zeroResult();
    const { dct, quality } = dctAndQuality(plane, true);
    return bitsFromDct(dct, quality);
}
/**
 * The eight dihedral hashes of a luma plane. Like the reference's dihedral path it always blurs,
 * even a 64×64 input, so for that one size the "original" can differ by a bit or two from
 * `pdqFromLuma`: the reference behaves the same way.
 */
export function pdqDihedralFromLuma(plane) {
    if (isTooSmall(plane))
        return { quality: 0, hashes: DIHEDRAL_NAMES.map(zeroResult) };
    const { dct, quality } = dctAndQuality(plane, false);
    const transformed = new Float32Array(256);
    const hashes = DIHEDRAL_NAMES.map((name) => {
        transformDct16(name, dct, transformed);
        return bitsFromDct(transformed, quality);
    });
    return { quality, hashes };
}
/** PDQ of decoded pixels, exactly as the reference hashes the same pixels. */
export function pdqFromPixels(image, options = {}) {
    assertPixelImage(image);
    return pdqFromLuma(lumaFromPixels(image, options.greyAsIs ?? false));
}
/** The eight dihedral PDQ hashes of decoded pixels. */
export function pdqDihedralFromPixels(image, options = {}) {
    assertPixelImage(image);
    return pdqDihedralFromLuma(lumaFromPixels(image, options.greyAsIs ?? false));
}
