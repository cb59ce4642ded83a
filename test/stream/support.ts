import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** Synthetic content for the automated path's tests: random hashes and generated images, never real media. */
export function randomPdq(seed?: number): string {
  if (seed === undefined) return randomBytes(32).toString('hex');
  return createHash('sha256').update(`synthetic-pdq-${seed}`).digest('hex');
}

/** The hash with `bits` distinct bits flipped, chosen by `seed`. */
export function flipBits(hex: string, bits: number, seed: number): string {
  const bytes = Buffer.from(hex, 'hex');
  const order = createHash('sha256').update(`flip-${seed}`).digest();
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < bits; i++) chosen.add(order[i % 32]! ^ ((Math.floor(i / 32) * 67) % 256));
  for (const bit of chosen) bytes[bit >>> 3]! ^= 1 << (bit & 7);
  return bytes.toString('hex');
}

/** A synthetic image with structure (PDQ needs gradients to reach a useful quality). */
export async function syntheticPng(seed = 0): Promise<Buffer> {
  const width = 128;
  const height = 96;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 2 + seed * 37) % 256;
      pixels[i + 1] = ((x ^ y) * 3 + seed * 11) % 256;
      pixels[i + 2] = (y * 2 + ((x / 16) | 0) * 40) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

let counter = 0;
export function post(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'post_created',
    platform: 'telegram',
    id: String(100000 + counter),
    channel: 'synthetic_channel',
    author: 'synthetic_author',
    text: 'Synthetic post about the weather in Bandung.',
    media: [],
    forwarded_from: null,
    posted_at: '2026-11-28T07:00:00.000Z',
    ...overrides,
  };
}
