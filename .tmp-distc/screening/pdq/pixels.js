export function assertPixelImage(image) {
    const { width, height, channels, data } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
        throw new RangeError(`image size ${width}x${height} is not a pair of non-negative integers`);
    }
    if (![1, 2, 3, 4].includes(channels)) {
        throw new RangeError(`image has ${channels} channels; expected 1 (grey), 2, 3 (RGB) or 4 (RGBA)`);
    }
    if (data.length < width * height * channels) {
        throw new RangeError(`image data holds ${data.length} bytes; ${width}x${height}x${channels} needs ${width * height * channels}`);
    }
}
/**
 * True when every pixel has R = G = B. ImageMagick writes such an image as a grey PGM (P5),
 * so the reference hashes its grey value directly instead of through the luma coefficients,
 * whose float sum is not exactly 1. The file path follows it to stay bit-exact.
 */
export function isGreyOnly(image) {
    const { data, channels } = image;
    if (channels < 3)
        return true;
    const end = image.width * image.height * channels;
    for (let i = 0; i < end; i += channels) {
        const r = data[i];
        if (r !== data[i + 1] || r !== data[i + 2])
            return false;
    }
    return true;
}
