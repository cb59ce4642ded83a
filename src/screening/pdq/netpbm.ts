import type { PixelImage } from './pixels.ts';

/**
 * Binary netpbm: PGM (P5, grey) and PPM (P6, RGB), the formats of the reference's own test
 * pixels and what `pdq-photo-hasher` reads natively. The format is simple enough to read here,
 * which also spares loading sharp (and libvips) for them:
 *
 *   magic, width, height, maxval: ASCII decimal fields separated by whitespace, with '#'
 *   comments to the end of a line; then exactly one whitespace byte; then width × height
 *   samples per channel, one byte each when maxval < 256, two (big-endian) otherwise.
 *
 * Samples are scaled to 0–255 when maxval is not 255, as ImageMagick does when it hands the
 * reference 8-bit pixels. Only the first image of a multi-image file is read.
 */

/** True when the bytes start like a binary PGM or PPM ("P5" or "P6" then whitespace). */
export function isBinaryNetpbm(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x36) && isSpace(bytes[2]);
}

export class NetpbmError extends TypeError {}

export function readNetpbm(bytes: Uint8Array): PixelImage {
  let pos = 0;

  const token = (what: string): string => {
    for (;;) {
      while (isSpace(bytes[pos])) pos++;
      if (bytes[pos] !== 0x23) break;
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    }
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos]) && bytes[pos] !== 0x23 && pos - start < 16) pos++;
    if (pos === start) throw new NetpbmError(`netpbm header ends before its ${what}`);
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  const field = (what: string, max: number): number => {
    const text = token(what);
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
      throw new NetpbmError(`netpbm ${what} '${text}' is not a whole number from 1 to ${max}`);
    return Number(text);
  };

  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (magic !== 'P5' && magic !== 'P6')
    throw new NetpbmError(`not a binary PGM or PPM: magic '${magic}', expected 'P5' or 'P6'`);
  pos = 2;
  if (!isSpace(bytes[pos]) && bytes[pos] !== 0x23)
    throw new NetpbmError(`netpbm magic '${magic}' is not followed by whitespace`);
  const width = field('width', 1 << 20);
  const height = field('height', 1 << 20);
  const maxval = field('maxval', 65535);
  if (!isSpace(bytes[pos])) throw new NetpbmError('netpbm header: no whitespace byte before the samples');
  pos++;

  const channels = magic === 'P5' ? 1 : 3;
  const samples = width * height * channels;
  const wide = maxval > 255;
  const size = samples * (wide ? 2 : 1);
  const available = bytes.length - pos;
  if (available < size)
    throw new NetpbmError(
      `${magic === 'P5' ? 'PGM' : 'PPM'} is truncated: ${available} sample bytes for ${width}x${height}, ${size} needed`,
    );
  const raw = bytes.subarray(pos, pos + size);
  return { data: eightBit(raw, samples, maxval), width, height, channels };
}

/** Samples as bytes 0–255, scaled from 0–maxval (rounded to nearest) when maxval is not 255. */
function eightBit(raw: Uint8Array, samples: number, maxval: number): Uint8Array {
  if (maxval === 255) return raw;
  const out = new Uint8Array(samples);
  const wide = maxval > 255;
  for (let i = 0; i < samples; i++) {
    const v = wide ? ((raw[2 * i] as number) << 8) | (raw[2 * i + 1] as number) : (raw[i] as number);
    // A sample above maxval is malformed; it is clamped rather than wrapped.
    out[i] = Math.min(255, Math.round((v * 255) / maxval));
  }
  return out;
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}
