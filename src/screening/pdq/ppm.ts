import { NetpbmError, readNetpbm } from './netpbm.ts';
import type { PixelImage } from './pixels.ts';

/** Reads a binary PPM (P6): the format the reference's test pixels come in (see netpbm.ts). */
export function readPpm(bytes: Uint8Array): PixelImage {
  const image = readNetpbm(bytes);
  if (image.channels !== 3) throw new NetpbmError("not a binary PPM: magic 'P5', expected 'P6'");
  return image;
}
