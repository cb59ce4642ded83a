import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { digestBytes } from '../../screening/file-digests.ts';
import { pdqDihedralFromImage, pdqFromImage } from '../../screening/pdq/image-hashing.ts';
import { pdqFromPixels } from '../../screening/pdq/pdq-hasher.ts';
import { readReferenceCsv, referenceDataDir } from '../../screening/pdq/reference-data.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tapis-hash-cli-'));
const png = path.join(dir, 'picture one.png');
const text = path.join(dir, 'notes.txt');
const pgm = path.join(dir, 'grey.pgm');
const broken = path.join(dir, 'broken.ppm');
const reference = referenceDataDir();

// A synthetic grey picture: diagonal bands.
const greyPixels = new Uint8Array(96 * 64).map((_, i) => (((i % 96) + Math.floor(i / 96)) * 9) & 0xff);

beforeAll(async () => {
  // A synthetic picture: a colour gradient with a bright square.
  const data = new Uint8Array(120 * 80 * 3).map((_, i) => {
    const pixel = Math.floor(i / 3);
    const x = pixel % 120;
    const y = Math.floor(pixel / 120);
    return x > 40 && x < 80 && y > 20 && y < 50 ? 250 : (x * 2 + y * (i % 3)) & 0xff;
  });
  writeFileSync(
    png,
    await sharp(data, { raw: { width: 120, height: 80, channels: 3 } })
      .png()
      .toBuffer(),
  );
  writeFileSync(text, 'not an image\n');
  writeFileSync(pgm, Buffer.concat([Buffer.from('P5\n# synthetic\n96 64\n255\n'), greyPixels]));
  writeFileSync(broken, Buffer.concat([Buffer.from('P6\n64 64\n255\n'), new Uint8Array(100)]));
});

describe('tapis hash', () => {
  it('prints one JSON object per file with the PDQ, quality, MD5 and SHA-256', async () => {
    const result = await runCli(['hash', '--json', png]);
    expect(result.code).toBe(0);
    const { hex, quality } = await pdqFromImage(png);
    expect(JSON.parse(result.stdout)).toEqual({
      file: png,
      pdq: hex,
      quality,
      ...digestBytes(readFileSync(png)),
    });
  });

  it('adds the 8 dihedral hashes in the reference order with --dihedral', async () => {
    const result = await runCli(['hash', '--json', '--dihedral', png]);
    const line = JSON.parse(result.stdout) as { pdq_dihedral: string[]; pdq: string };
    const expected = (await pdqDihedralFromImage(png)).hashes.map((h) => h.hex);
    expect(line.pdq_dihedral).toEqual(expected);
    expect(line.pdq).toBe(expected[0]);
  });

  it('prints readable lines, reports a missing file on stderr and exits 1 after hashing the others', async () => {
    const result = await runCli(['hash', path.join(dir, 'missing.png'), png, text]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const { hex, quality } = await pdqFromImage(png);
    expect(lines[0]).toMatch(new RegExp(`^${hex} ${quality} [0-9a-f]{32} [0-9a-f]{64} ${png}$`));
    // Not an image: exact hashes only.
    expect(lines[1]).toMatch(new RegExp(`^- - [0-9a-f]{32} [0-9a-f]{64} ${text}$`));
    expect(result.stderr).toContain('missing.png');
    expect(result.stderr).toContain('notes.txt: no PDQ');
  });

  it.skipIf(!reference)("hashes the reference's 14 PPMs to exactly the reference's hashes", async () => {
    const root = path.join(reference ?? '', 'ppm');
    const rows = readReferenceCsv(reference ?? '', 'expected-ppm.csv');
    expect(rows).toHaveLength(14);
    const result = await runCli(['hash', '--json', ...rows.map((r) => path.join(root, r.file ?? ''))]);
    expect(result.stderr).toBe('');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pdq: string; quality: number });
    expect(lines.map((l) => [l.pdq, l.quality])).toEqual(rows.map((r) => [r.pdq, Number(r.quality)]));
  });

  it('hashes a grey PGM by its grey values, and names what is wrong with a broken PPM', async () => {
    const result = await runCli(['hash', '--json', pgm, broken]);
    expect(result.code).toBe(1);
    const [grey, bad] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pdq: string | null; quality: number | null; sha256: string });
    const expected = pdqFromPixels({ data: greyPixels, width: 96, height: 64, channels: 1 });
    expect(grey).toMatchObject({ pdq: expected.hex, quality: expected.quality });
    // Not a decodable image: its exact hashes only, and the reason on stderr.
    expect(bad).toMatchObject({ pdq: null, quality: null, sha256: digestBytes(readFileSync(broken)).sha256 });
    expect(result.stderr).toContain('broken.ppm: no PDQ: not an image that can be decoded (PPM is truncated');
  });
});
