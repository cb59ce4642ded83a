/**
 * PDQ's quality metric, 0–100: a count of significant gradients in the 64×64 downsample. The
 * reference's heuristic (pdqImageDomainQualityMetric): each neighbour difference is scaled to
 * percent of full range and truncated to an integer, so small gradients count for nothing, then
 * the sum is divided by 90 and capped at 100. Banks ignore hashes below 50 (flat, featureless
 * images whose bits are mostly noise).
 */
export function pdqQuality(buffer64x64) {
    let gradientSum = 0;
    for (let i = 0; i < 63; i++) {
        for (let j = 0; j < 64; j++) {
            gradientSum += gradientStep(buffer64x64[i * 64 + j], buffer64x64[(i + 1) * 64 + j]);
        }
    }
    for (let i = 0; i < 64; i++) {
        for (let j = 0; j < 63; j++) {
            gradientSum += gradientStep(buffer64x64[i * 64 + j], buffer64x64[i * 64 + j + 1]);
        }
    }
    return Math.min(100, Math.trunc(gradientSum / 90));
}
/** |(u − v) · 100 / 255| in float arithmetic, truncated toward zero as the C int conversion. */
function gradientStep(u, v) {
    const scaled = Math.fround(Math.fround(Math.fround(u - v) * 100) / 255);
    return Math.abs(Math.trunc(scaled));
}
