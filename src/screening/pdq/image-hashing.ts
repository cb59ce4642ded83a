import { open, readFile } from 'node:fs/promises';
import { isBinaryNetpbm, readNetpbm } from './netpbm.ts';
import {
  type PdqDihedralResult,
  type PdqPixelOptions,
  type PdqResult,
  pdqDihedralFromPixels,
  pdqFromPixels,
} from './pdq-hasher.ts';
import { isGreyOnly, type PixelImage } from './pixels.ts';

/**
 * PDQ of an image file or its bytes. Binary PGM and PPM are read here, exactly as the
 * reference reads them (no decoder in between); any other format is decoded by sharp, loaded
 * only then (it costs a tenth of a second to load). Grey pictures that sharp decodes are
 * hashed by grey value, as the reference does once ImageMagick has handed it a one-channel
 * image.
 */
export async function pdqFromImage(input: string | Uint8Array): Promise<PdqResult> {
  const { image, options } = await pixelsOf(input);
  return pdqFromPixels(image, options);
}

/** The eight dihedral PDQ hashes of an image file or its bytes. */
export async function pdqDihedralFromImage(input: string | Uint8Array): Promise<PdqDihedralResult> {
  const { image, options } = await pixelsOf(input);
  return pdqDihedralFromPixels(image, options);
}

async function pixelsOf(
  input: string | Uint8Array,
): Promise<{ image: PixelImage; options: PdqPixelOptions }> {
  const bytes = typeof input === 'string' ? await readHead(input) : input;
  // The reference reads netpbm natively: a P6 picture is hashed through luma even when grey.
  if (isBinaryNetpbm(bytes)) {
    const whole = typeof input === 'string' ? await readFile(input) : input;
    return { image: readNetpbm(whole), options: {} };
  }
  const { decodeImage } = await import('./image-decoding.ts');
  const image = await decodeImage(input);
  return { image, options: { greyAsIs: isGreyOnly(image) } };
}

/** The first bytes of a file, enough to tell its format. */
async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
