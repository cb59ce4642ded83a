import sharp from 'sharp';
/**
 * Decodes an image file (JPEG, PNG, WebP, GIF — first frame) to 8-bit pixels the way the
 * reference's decoder path does, as far as sharp allows:
 * - EXIF orientation is NOT applied: the stored pixels are hashed, and the dihedral hashes find
 *   rotated copies (sharp only rotates when asked to);
 * - embedded ICC profiles are ignored, as ImageMagick's conversion to PNM ignores them;
 * - alpha is kept here and ignored by the hasher, as the PNM the reference reads has none;
 * - only the first frame of an animation is read.
 * JPEG decoders differ in their last bits (IDCT, chroma upsampling), so hashes of JPEG files can
 * land a few bits from the reference's; hashes of the same pixels are identical.
 */
export async function decodeImage(input) {
    const source = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const { data, info } = await sharp(source, {
        ignoreIcc: true,
        pages: 1,
        page: 0,
        limitInputPixels: 268_402_689,
    })
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
        throw new TypeError(`decoded image has ${channels} channels; expected 1 to 4`);
    }
    return {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
        channels,
    };
}
