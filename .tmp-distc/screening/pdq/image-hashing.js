import { decodeImage } from "./image-decoding.js";
import { pdqDihedralFromPixels, pdqFromPixels, } from "./pdq-hasher.js";
import { isGreyOnly } from "./pixels.js";
/**
 * PDQ of an image file or its bytes. Grey pictures are hashed by grey value, as the reference
 * does once ImageMagick has handed it a one-channel image.
 */
export async function pdqFromImage(input) {
    const image = await decodeImage(input);
    return pdqFromPixels(image, { greyAsIs: isGreyOnly(image) });
}
/** The eight dihedral PDQ hashes of an image file or its bytes. */
export async function pdqDihedralFromImage(input) {
    const image = await decodeImage(input);
    return pdqDihedralFromPixels(image, { greyAsIs: isGreyOnly(image) });
}
