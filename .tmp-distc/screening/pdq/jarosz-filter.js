/**
 * Jarosz tent-filter downsampling, as the reference does it (pdq/cpp/downscaling): two passes of
 * a box filter along rows then columns approximate a tent, then the blurred image is sampled at
 * 64×64 cell centres. All arithmetic is single precision, rounded as C floats, so that the port
 * is bit-exact with the reference.
 */
export const PDQ_TENT_PASSES = 2;
/**
 * Box window per pass: a 64th of the side, halved because two passes make the tent, rounded up.
 * A 1024-pixel side gives 8.
 */
export function jaroszWindowSize(oldDimension, newDimension) {
    return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}
/**
 * One box-filter pass over a line of `length` samples spaced `stride` apart, from `input` at
 * `start` into `output` at `start`. The window is centred with the reference's rounding
 * (7 → 3 before and 3 after, 8 → 4 before and 3 after) and shrinks at the edges, where the sum is
 * divided by the samples actually present.
 */
function boxLine(input, output, start, length, stride, window) {
    const half = Math.floor((window + 2) / 2);
    const leadIn = half - 1;
    const growing = window - half + 1;
    const full = length - window;
    const leadOut = half - 1;
    let left = start;
    let right = start;
    let out = start;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < leadIn; i++) {
        sum = Math.fround(sum + input[right]);
        count++;
        right += stride;
    }
    for (let i = 0; i < growing; i++) {
        sum = Math.fround(sum + input[right]);
        count++;
        output[out] = sum / count;
        right += stride;
        out += stride;
    }
    for (let i = 0; i < full; i++) {
        sum = Math.fround(sum + input[right]);
        sum = Math.fround(sum - input[left]);
        output[out] = sum / count;
        left += stride;
        right += stride;
        out += stride;
    }
    for (let i = 0; i < leadOut; i++) {
        sum = Math.fround(sum - input[left]);
        count--;
        output[out] = sum / count;
        left += stride;
        out += stride;
    }
}
/**
 * The same box filter down every column at once: a running sum per column, updated row by row.
 * Each column sees exactly the additions, subtractions and divisions of boxLine, in the same
 * order, each rounded to float, but memory is read row by row instead of one column at a time.
 */
function boxColumns(input, output, rows, cols, window, sums) {
    const half = Math.floor((window + 2) / 2);
    const leadIn = half - 1;
    const growing = window - half + 1;
    const full = rows - window;
    const leadOut = half - 1;
    sums.fill(0);
    let right = 0;
    let left = 0;
    let out = 0;
    let count = 0;
    for (let i = 0; i < leadIn; i++, right++) {
        const r = right * cols;
        for (let j = 0; j < cols; j++)
            sums[j] = Math.fround(sums[j] + input[r + j]);
        count++;
    }
    for (let i = 0; i < growing; i++, right++, out++) {
        const r = right * cols;
        const o = out * cols;
        count++;
        for (let j = 0; j < cols; j++) {
            const sum = Math.fround(sums[j] + input[r + j]);
            sums[j] = sum;
            output[o + j] = sum / count;
        }
    }
    for (let i = 0; i < full; i++, right++, left++, out++) {
        const r = right * cols;
        const l = left * cols;
        const o = out * cols;
        for (let j = 0; j < cols; j++) {
            const sum = Math.fround(Math.fround(sums[j] + input[r + j]) - input[l + j]);
            sums[j] = sum;
            output[o + j] = sum / count;
        }
    }
    for (let i = 0; i < leadOut; i++, left++, out++) {
        const l = left * cols;
        const o = out * cols;
        count--;
        for (let j = 0; j < cols; j++) {
            const sum = Math.fround(sums[j] - input[l + j]);
            sums[j] = sum;
            output[o + j] = sum / count;
        }
    }
}
/**
 * Blurs `buffer1` in place (using `buffer2` as scratch), `passes` times along rows then columns.
 * `windowAlongRows` is the window used within a row, so it derives from the number of columns.
 */
export function jaroszFilter(buffer1, buffer2, rows, cols, windowAlongRows, windowAlongCols, passes) {
    const sums = new Float64Array(cols);
    for (let pass = 0; pass < passes; pass++) {
        for (let i = 0; i < rows; i++)
            boxLine(buffer1, buffer2, i * cols, cols, 1, windowAlongRows);
        boxColumns(buffer2, buffer1, rows, cols, windowAlongCols, sums);
    }
}
/** Samples the blurred image at the centres of a 64×64 grid of cells. */
export function decimateTo(input, rows, cols, output, outRows, outCols) {
    for (let i = 0; i < outRows; i++) {
        const srcRow = Math.trunc(((i + 0.5) * rows) / outRows);
        for (let j = 0; j < outCols; j++) {
            const srcCol = Math.trunc(((j + 0.5) * cols) / outCols);
            output[i * outCols + j] = input[srcRow * cols + srcCol];
        }
    }
}
