import { describe, expect, it } from 'vitest';
import { readPpm } from './ppm.ts';

const encoder = new TextEncoder();

function ppm(header: string, samples: number[]): Uint8Array {
  const head = encoder.encode(header);
  const bytes = new Uint8Array(head.length + samples.length);
  bytes.set(head);
  bytes.set(samples, head.length);
  return bytes;
}

describe('PPM reader', () => {
  it('reads the size and RGB samples of a binary PPM, comments included', () => {
    const image = readPpm(ppm('P6\n# made by a test\n2 1\n255\n', [1, 2, 3, 10, 32, 35]));
    expect({ width: image.width, height: image.height, channels: image.channels }).toEqual({
      width: 2,
      height: 1,
      channels: 3,
    });
    // Samples that look like whitespace or '#' are data, not header.
    expect([...image.data]).toEqual([1, 2, 3, 10, 32, 35]);
  });

  it('refuses ASCII PPMs, grey PGMs and truncated files with a reason', () => {
    expect(() => readPpm(ppm('P3\n1 1\n255\n', [0, 0, 0]))).toThrow(/magic 'P3'/);
    expect(() => readPpm(ppm('P5\n1 1\n255\n', [0]))).toThrow(/magic 'P5', expected 'P6'/);
    expect(() => readPpm(ppm('P6\n2 2\n255\n', [0, 0, 0]))).toThrow(/truncated/);
    expect(() => readPpm(ppm('P6\n-1 2\n255\n', [0, 0, 0]))).toThrow(/not a whole number/);
  });
});
