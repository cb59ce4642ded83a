// The reference's coefficients (ITU-R BT.601), held as C floats.
const R_COEFF = Math.fround(0.299);
const G_COEFF = Math.fround(0.587);
const B_COEFF = Math.fround(0.114);
/**
 * The reference hashes images of at most 512×512. Larger ones (either side) are first resized to
 * exactly 512×512, aspect ratio not kept, by nearest-neighbour sampling (CImg's resize, which
 * picks source index floor(x·W/512)). The Jarosz filter would be too slow on full-size photos.
 */
export const REFERENCE_MAX_SIDE = 512;
/** Source indices for nearest-neighbour sampling of `from` samples down to `to`. */
function nearestIndices(from, to) {
    const indices = new Int32Array(to);
    for (let i = 0; i < to; i++)
        indices[i] = Math.floor((i * from) / to);
    return indices;
}
/**
 * Luminance of the image as the reference computes it, after its 512 px resize.
 *
 * `greyAsIs`: take a grey pixel's value directly. The reference does that when its decoder
 * hands it a one-channel image (ImageMagick does for grey pictures); for a 3-channel buffer
 * (a P6 PPM) it always applies the RGB coefficients.
 */
export function lumaFromPixels(image, greyAsIs) {
    const { data, width, height, channels } = image;
    const resize = width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE;
    const cols = resize ? REFERENCE_MAX_SIDE : width;
    const rows = resize ? REFERENCE_MAX_SIDE : height;
    // Byte offset of each sampled pixel within its row, and of each sampled row.
    const xs = resize ? nearestIndices(width, cols) : Int32Array.from({ length: cols }, (_, j) => j);
    const ys = resize ? nearestIndices(height, rows) : Int32Array.from({ length: rows }, (_, i) => i);
    for (let j = 0; j < cols; j++)
        xs[j] = xs[j] * channels;
    const luma = new Float32Array(rows * cols);
    const rgb = channels >= 3 && !greyAsIs;
    for (let i = 0; i < rows; i++) {
        const row = ys[i] * width * channels;
        const out = i * cols;
        if (rgb) {
            for (let j = 0; j < cols; j++) {
                const p = row + xs[j];
                // float * int, then float sums, left to right, each rounded to float as in C.
                const r = Math.fround(R_COEFF * data[p]);
                const g = Math.fround(G_COEFF * data[p + 1]);
                const b = Math.fround(B_COEFF * data[p + 2]);
                luma[out + j] = Math.fround(r + g) + b;
            }
        }
        else {
            for (let j = 0; j < cols; j++)
                luma[out + j] = data[row + xs[j]];
        }
    }
    return { luma, rows, cols };
}
