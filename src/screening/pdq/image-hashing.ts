import { decodeImage } from './image-decoding.ts';
import {
  type PdqDihedralResult,
  type PdqResult,
  pdqDihedralFromPixels,
  pdqFromPixels,
} from './pdq-hasher.ts';
import { isGreyOnly } from './pixels.ts';

/**
 * PDQ of an image file or its bytes. Grey pictures are hashed by grey value, as the reference
 * does once ImageMagick has handed it a one-channel image.
 */
export async function pdqFromImage(input: string | Uint8Array): Promise<PdqResult> {
  const image = await decodeImage(input);
  return pdqFromPixels(image, { greyAsIs: isGreyOnly(image) });
}

/** The eight dihedral PDQ hashes of an image file or its bytes. */
export async function pdqDihedralFromImage(input: string | Uint8Array): Promise<PdqDihedralResult> {
  const image = await decodeImage(input);
  return pdqDihedralFromPixels(image, { greyAsIs: isGreyOnly(image) });
}
