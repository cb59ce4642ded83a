/**
 * The part of the 2-D DCT-II that PDQ keeps: coefficients 1–16 along each axis of the 64×64
 * downsample (the DC term and the high frequencies are dropped), computed as B = D·A·Dᵀ with a
 * 16×64 matrix D, in single precision and in the reference's summation order so results are
 * bit-exact.
 */
const ROWS = 16;
const COLS = 64;
/**
 * D[i][j] = √(2/64) · cos(π/(2·64) · (i+1) · (2j+1)). The reference keeps the scale factor as a
 * float, multiplies it by the double cosine and stores the product as a float; so do we.
 */
const DCT_MATRIX = (() => {
    const matrix = new Float32Array(ROWS * COLS);
    const scale = Math.fround(Math.sqrt(2 / COLS));
    for (let i = 0; i < ROWS; i++) {
        for (let j = 0; j < COLS; j++) {
            matrix[i * COLS + j] = scale * Math.cos((Math.PI / 2 / COLS) * (i + 1) * (2 * j + 1));
        }
    }
    return matrix;
})();
/**
 * From the 64×64 buffer (row-major) into the 16×16 output (row-major), with `scratch` (16×64)
 * holding T = D·A. Every product and partial sum is rounded to float, in ascending k.
 */
export function dct64To16(input64x64, scratch16x64, output16x16) {
    const d = DCT_MATRIX;
    for (let i = 0; i < ROWS; i++) {
        const row = i * COLS;
        for (let j = 0; j < COLS; j++) {
            let sum = 0;
            for (let k = 0; k < COLS; k++) {
                sum = Math.fround(sum + Math.fround(d[row + k] * input64x64[k * COLS + j]));
            }
            scratch16x64[row + j] = sum;
        }
    }
    for (let i = 0; i < ROWS; i++) {
        const t = i * COLS;
        for (let j = 0; j < ROWS; j++) {
            const dj = j * COLS;
            let sum = 0;
            for (let k = 0; k < COLS; k++) {
                sum = Math.fround(sum + Math.fround(scratch16x64[t + k] * d[dj + k]));
            }
            output16x16[i * ROWS + j] = sum;
        }
    }
}
