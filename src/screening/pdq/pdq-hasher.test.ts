import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pdqDistance } from './hash256.ts';
import { pdqDihedralFromImage, pdqFromImage } from './image-hashing.ts';
import { pdqDihedralFromPixels, pdqFromPixels } from './pdq-hasher.ts';
import type { PixelImage } from './pixels.ts';

/**
 * A deterministic synthetic picture shaped like a photograph: soft colour blobs of many sizes on
 * grey, so its DCT energy falls off with frequency as natural images' does.
 */
function picture(width: number, height: number, seed = 1): PixelImage {
  let state = Math.imul(seed, 2654435761) >>> 0;
  const random = () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  };
  const blobs = Array.from({ length: 40 }, () => ({
    x: random(),
    y: random(),
    radius: 0.03 + 0.15 * random(),
    colour: [random(), random(), random()].map((v) => 200 * v - 100),
  }));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [128, 128, 128];
      for (const blob of blobs) {
        const d2 = ((x / width - blob.x) ** 2 + (y / height - blob.y) ** 2) / blob.radius ** 2;
        if (d2 < 9)
          for (let c = 0; c < 3; c++)
            sum[c] = (sum[c] as number) + Math.exp(-d2) * (blob.colour[c] as number);
      }
      // Uint8Array stores clamp nothing: clamp and round here.
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(sum[c] as number)));
    }
  }
  return { data, width, height, channels: 3 };
}

/** A quarter turn counter-clockwise: what the reference calls rot90. */
function rotate90(image: PixelImage): PixelImage {
  const { width, height, channels, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The top-right pixel (width − 1, 0) becomes the top-left one.
      const to = ((width - 1 - x) * height + y) * channels;
      const from = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = data[from + c] as number;
    }
  }
  return { data: out, width: height, height: width, channels };
}

describe('PDQ hasher', () => {
  it('gives an all-zero hash of quality 0 when a side is under 5 pixels', () => {
    const result = pdqFromPixels(picture(4, 300));
    expect(result).toMatchObject({ hex: '0'.repeat(64), quality: 0 });
    const dihedral = pdqDihedralFromPixels(picture(300, 4));
    expect(dihedral.hashes.map((h) => h.hex)).toEqual(Array(8).fill('0'.repeat(64)));
  });

  it('rates a flat image quality 0 and a detailed one at least 50, the bar for banking', () => {
    const flat: PixelImage = {
      data: new Uint8Array(100 * 100 * 3).fill(128),
      width: 100,
      height: 100,
      channels: 3,
    };
    expect(pdqFromPixels(flat).quality).toBe(0);
    expect(pdqFromPixels(picture(200, 150, 2)).quality).toBeGreaterThanOrEqual(50);
  });

  it('sets exactly half of the bits, or one fewer when the median is a tie, on a detailed image', () => {
    const { hash } = pdqFromPixels(picture(320, 240));
    expect(pdqDistance(hash, new Uint32Array(8))).toBeGreaterThanOrEqual(120);
    expect(pdqDistance(hash, new Uint32Array(8))).toBeLessThanOrEqual(128);
  });

  it('resizes images over 512 px to 512×512 by nearest neighbour, as the reference does', () => {
    // Doubling every pixel of a 512×512 image leaves the nearest-neighbour resize unchanged.
    const small = picture(512, 512);
    const big = new Uint8Array(1024 * 1024 * 3);
    for (let y = 0; y < 1024; y++) {
      for (let x = 0; x < 1024; x++) {
        const from = ((y >> 1) * 512 + (x >> 1)) * 3;
        big.set(small.data.subarray(from, from + 3), (y * 1024 + x) * 3);
      }
    }
    expect(pdqFromPixels({ data: big, width: 1024, height: 1024, channels: 3 }).hex).toBe(
      pdqFromPixels(small).hex,
    );
  });

  it('ignores the alpha channel', () => {
    const rgb = picture(120, 90);
    const rgba = new Uint8Array(120 * 90 * 4);
    for (let i = 0; i < 120 * 90; i++) {
      rgba.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
      rgba[i * 4 + 3] = i % 256;
    }
    expect(pdqFromPixels({ data: rgba, width: 120, height: 90, channels: 4 }).hex).toBe(
      pdqFromPixels(rgb).hex,
    );
  });

  it('finds a copy turned a quarter counter-clockwise through the rot90 hash of the original', () => {
    const original = picture(256, 192);
    const rotated = pdqFromPixels(rotate90(original)).hash;
    const distances = pdqDihedralFromPixels(original).hashes.map((h) => pdqDistance(h.hash, rotated));
    // Not 0: the reference's cell sampling is not symmetric, so a turned image is sampled half a
    // pixel off. Still well within the matching distance, and nearest to rot90.
    expect(distances[1]).toBeLessThanOrEqual(31);
    expect(distances.indexOf(Math.min(...distances))).toBe(1);
    expect(distances[0]).toBeGreaterThan(31);
  });

  it('refuses a buffer too short for its stated size', () => {
    expect(() => pdqFromPixels({ data: new Uint8Array(10), width: 10, height: 10, channels: 3 })).toThrow(
      /needs 300/,
    );
  });
});

describe('hashing image files', () => {
  const rgb = picture(300, 200);
  const raw = { raw: { width: 300, height: 200, channels: 3 as const } };

  it('hashes the pixels of a lossless PNG and WebP exactly as the raw pixels', async () => {
    const expected = pdqFromPixels(rgb).hex;
    const png = await sharp(rgb.data, raw).png().toBuffer();
    const webp = await sharp(rgb.data, raw).webp({ lossless: true }).toBuffer();
    expect((await pdqFromImage(png)).hex).toBe(expected);
    expect((await pdqFromImage(webp)).hex).toBe(expected);
  });

  it('hashes a JPEG within a few bits of its source pixels', async () => {
    const jpeg = await sharp(rgb.data, raw).jpeg({ quality: 90 }).toBuffer();
    expect(pdqDistance((await pdqFromImage(jpeg)).hash, pdqFromPixels(rgb).hash)).toBeLessThanOrEqual(10);
  });

  it('hashes the first frame of an animated GIF', async () => {
    const first = picture(64, 48, 1);
    const second = picture(64, 48, 7);
    const frames = new Uint8Array(first.data.length * 2);
    frames.set(first.data);
    frames.set(second.data, first.data.length);
    const gif = await sharp(frames, { raw: { width: 64, height: 96, channels: 3, pageHeight: 48 } })
      .gif({ colours: 256, dither: 0 })
      .toBuffer();
    const frameOne = await sharp(gif, { pages: 1 }).raw().toBuffer({ resolveWithObject: true });
    const expected = pdqFromPixels({
      data: frameOne.data,
      width: 64,
      height: 48,
      channels: frameOne.info.channels as 3 | 4,
    }).hex;
    expect((await pdqFromImage(gif)).hex).toBe(expected);
  });

  it('hashes stored pixels and does not apply an EXIF orientation tag', async () => {
    const plain = await sharp(rgb.data, raw).png().toBuffer();
    const tagged = await sharp(rgb.data, raw).withMetadata({ orientation: 6 }).png().toBuffer();
    expect((await sharp(tagged).metadata()).orientation).toBe(6);
    expect((await pdqFromImage(tagged)).hex).toBe((await pdqFromImage(plain)).hex);
    expect((await pdqDihedralFromImage(tagged)).hashes[0]?.hex).toBe((await pdqFromImage(plain)).hex);
  });

  it('hashes a grey picture by its grey values, as the reference does for a one-channel image', async () => {
    const grey = new Uint8Array(300 * 200);
    for (let i = 0; i < grey.length; i++) grey[i] = rgb.data[i * 3 + 1] as number;
    const png = await sharp(grey, { raw: { width: 300, height: 200, channels: 1 } })
      .png()
      .toBuffer();
    const expected = pdqFromPixels({ data: grey, width: 300, height: 200, channels: 1 }).hex;
    expect((await pdqFromImage(png)).hex).toBe(expected);
    // The same grey stored as RGB goes through the same path, as ImageMagick would write it as PGM.
    const asRgb = new Uint8Array(grey.length * 3).map((_, i) => grey[Math.floor(i / 3)] as number);
    const rgbPng = await sharp(asRgb, { raw: { width: 300, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    expect((await pdqFromImage(rgbPng)).hex).toBe(expected);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(pdqFromImage(new TextEncoder().encode('not an image'))).rejects.toThrow();
  });
});
