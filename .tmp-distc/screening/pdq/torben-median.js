/**
 * Torben Mogensen's median by bisection on values (no sorting, no copy), as the reference uses
 * it to threshold the DCT. For an even count it returns the lower of the two middle values, the
 * reference's choice; ties and float rounding follow its arithmetic exactly.
 */
export function torbenMedian(values) {
    const n = values.length;
    let min = values[0];
    let max = min;
    for (let i = 1; i < n; i++) {
        const v = values[i];
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    const half = Math.floor((n + 1) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let guess = 0;
    let maxBelow = min;
    let minAbove = max;
    for (;;) {
        guess = Math.fround(Math.fround(min + max) / 2);
        less = 0;
        greater = 0;
        equal = 0;
        maxBelow = min;
        minAbove = max;
        for (let i = 0; i < n; i++) {
            const v = values[i];
            if (v < guess) {
                less++;
                if (v > maxBelow)
                    maxBelow = v;
            }
            else if (v > guess) {
                greater++;
                if (v < minAbove)
                    minAbove = v;
            }
            else {
                equal++;
            }
        }
        if (less <= half && greater <= half)
            break;
        if (less > greater)
            max = maxBelow;
        else
            min = minAbove;
    }
    if (less >= half)
        return maxBelow;
    if (less + equal >= half)
        return guess;
    return minAbove;
}
