import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBinaryNetpbm, readNetpbm } from './netpbm.ts';

const encoder = new TextEncoder();

function file(header: string, samples: number[] | Uint8Array): Uint8Array {
  const head = encoder.encode(header);
  const bytes = new Uint8Array(head.length + samples.length);
  bytes.set(head);
  bytes.set(samples, head.length);
  return bytes;
}

describe('the netpbm reader', () => {
  it('reads a grey PGM (P5) as one channel and a PPM (P6) as three', () => {
    const pgm = readNetpbm(file('P5 3 1 255\n', [0, 128, 255]));
    expect(pgm).toMatchObject({ width: 3, height: 1, channels: 1 });
    expect([...pgm.data]).toEqual([0, 128, 255]);
    const ppm = readNetpbm(file('P6\n1 2\n255\n', [1, 2, 3, 4, 5, 6]));
    expect(ppm).toMatchObject({ width: 1, height: 2, channels: 3 });
    expect([...ppm.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('skips comments anywhere in the header, and takes samples that look like header bytes as data', () => {
    const image = readNetpbm(file('P5#c\n# made by a test\n2# w\n1\n#maxval next\n255\n', [0x23, 0x0a]));
    expect([...image.data]).toEqual([0x23, 0x0a]);
  });

  it('scales samples of another maxval, 16-bit ones included, to 0–255', () => {
    expect([...readNetpbm(file('P5 3 1 15\n', [0, 7, 15])).data]).toEqual([0, 119, 255]);
    const wide = readNetpbm(file('P5 2 1 65535\n', [0x00, 0x00, 0xff, 0xff]));
    expect([...wide.data]).toEqual([0, 255]);
    expect([...readNetpbm(file('P5 1 1 1000\n', [0x01, 0xf4])).data]).toEqual([128]);
  });

  it('refuses malformed headers with a reason', () => {
    const refusals: [string, number[], RegExp][] = [
      ['P3\n1 1\n255\n', [0, 0, 0], /magic 'P3', expected 'P5' or 'P6'/],
      ['P2\n1 1\n255\n', [0], /magic 'P2'/],
      ['GIF89a', [], /magic 'GI'/],
      ['P6x 1 1 255\n', [0, 0, 0], /not followed by whitespace/],
      ['P6\n-1 2\n255\n', [0, 0, 0], /width '-1' is not a whole number/],
      ['P6\n0 2\n255\n', [], /width '0'/],
      ['P6\n2 1.5\n255\n', [], /height '1.5'/],
      ['P5\n1 1\n65536\n', [0, 0], /maxval '65536'/],
      ['P5\n1 1\n0\n', [0], /maxval '0'/],
      ['P5\n2 2\n', [], /ends before its maxval/],
      ['P5', [], /not followed by whitespace/],
      ['P5 1', [], /ends before its height/],
      ['P5 1 1 255', [], /no whitespace byte before the samples/],
      ['P5\n99999999999999999999 1\n255\n', [], /width/],
      ['P6\n2 2\n255\n', [0, 0, 0], /PPM is truncated: 3 sample bytes for 2x2, 12 needed/],
      ['P5\n2 1\n65535\n', [0, 0, 0], /PGM is truncated/],
    ];
    for (const [header, samples, reason] of refusals) {
      expect(() => readNetpbm(file(header, samples)), JSON.stringify(header)).toThrow(reason);
    }
  });

  it('tells netpbm from other formats by its first bytes', () => {
    expect(isBinaryNetpbm(encoder.encode('P5\n'))).toBe(true);
    expect(isBinaryNetpbm(encoder.encode('P6 '))).toBe(true);
    expect(isBinaryNetpbm(encoder.encode('P3\n'))).toBe(false);
    expect(isBinaryNetpbm(encoder.encode('P6'))).toBe(false);
    expect(isBinaryNetpbm(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe(false);
  });

  it('reads back any image it is given, and never throws anything but a reason on random bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.uint8Array({ minLength: 192, maxLength: 192 }),
        (width, height, grey, pixels) => {
          const channels = grey ? 1 : 3;
          const samples = pixels.subarray(0, width * height * channels);
          const image = readNetpbm(file(`${grey ? 'P5' : 'P6'}\n${width} ${height}\n255\n`, samples));
          expect({ ...image, data: [...image.data] }).toEqual({
            width,
            height,
            channels,
            data: [...samples],
          });
        },
      ),
      { seed: 16 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          readNetpbm(file('P6 ', bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      }),
      { seed: 16 },
    );
  });
});
