import { stat } from 'node:fs/promises';
import { digestBytes, digestFile } from "./file-digests.js";
import { DIHEDRAL_NAMES } from "./pdq/dihedral.js";
import { pdqDihedralFromImage, pdqFromImage } from "./pdq/image-hashing.js";
/** Images above this size are digested but not decoded (sharp would refuse them anyway). */
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
/**
 * Every hash tapis banks for a file: MD5 and SHA-256 of its bytes, and PDQ (with quality) when it
 * is an image. A file that cannot be read rejects; one that is not a decodable image still gets
 * its exact hashes, with the reason in pdqError.
 */
export async function hashMediaFile(path, options = {}) {
    const digests = await digestFile(path);
    const { size } = await stat(path);
    return { ...digests, ...(await pdqOf(path, size, options.dihedral ?? false)) };
}
/** The same for bytes already in memory (an upload). */
export async function hashMediaBytes(bytes, options = {}) {
    return { ...digestBytes(bytes), ...(await pdqOf(bytes, bytes.length, options.dihedral ?? false)) };
}
/** PDQ of a file (sharp reads it itself) or of bytes. */
async function pdqOf(image, size, dihedral) {
    if (size > MAX_IMAGE_BYTES)
        return { pdq: null, quality: null, pdqError: 'file too large to decode' };
    try {
        if (!dihedral) {
            const { hex, quality } = await pdqFromImage(image);
            return { pdq: hex, quality };
        }
        const { hashes, quality } = await pdqDihedralFromImage(image);
        const variants = hashes.map((h) => h.hex);
        if (variants.length !== DIHEDRAL_NAMES.length)
            throw new Error('expected 8 dihedral hashes');
        return { pdq: variants[0] ?? null, quality, pdqDihedral: variants };
    }
    catch (error) {
        return { pdq: null, quality: null, pdqError: `not an image that can be decoded (${describe(error)})` };
    }
}
function describe(error) {
    return error instanceof Error ? error.message : String(error);
}
