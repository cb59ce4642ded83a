import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
/**
 * MD5 and SHA-256 of a file in one streaming pass, so a large video costs a 64 KiB buffer, not
 * its size in memory. MD5 is broken for adversarial collisions but still how many shared lists
 * name known files; SHA-256 is the one to trust.
 */
export async function digestFile(path) {
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
        md5.update(chunk);
        sha256.update(chunk);
    }
    return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}
/** The same digests of bytes already in memory (an upload). */
export function digestBytes(bytes) {
    return {
        md5: createHash('md5').update(bytes).digest('hex'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
    };
}
