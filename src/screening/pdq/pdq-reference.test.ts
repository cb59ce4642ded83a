import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIHEDRAL_NAMES } from './dihedral.ts';
import { pdqDistance, pdqFromHex } from './hash256.ts';
import { pdqDihedralFromImage, pdqFromImage } from './image-hashing.ts';
import { pdqDihedralFromPixels, pdqFromPixels } from './pdq-hasher.ts';
import { readPpm } from './ppm.ts';
import { MISSING_REFERENCE_MESSAGE, readReferenceCsv, referenceDataDir } from './reference-data.ts';

const dir = referenceDataDir();
if (!dir) console.warn(MISSING_REFERENCE_MESSAGE);

// Reference hashes and ours, as hex pairs per file, so a failure names the file.
describe.skipIf(!dir)("compatibility with Meta's reference PDQ", () => {
  const root = dir ?? '';
  const ppmOf = (file: string) => path.join(root, 'ppm', file.replace(/\.[a-z]+$/, '.ppm'));

  it("hashes the reference's PPM pixels to exactly the reference's hashes and qualities", () => {
    const rows = readReferenceCsv(root, 'expected-ppm.csv');
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const ours = pdqFromPixels(readPpm(readFileSync(path.join(root, 'ppm', row.file ?? ''))));
      expect({ file: row.file, pdq: ours.hex, quality: ours.quality }).toEqual({
        file: row.file,
        pdq: row.pdq,
        quality: Number(row.quality),
      });
    }
  });

  it("gives the reference's eight dihedral hashes, in its order, from the same pixels", () => {
    const rows = readReferenceCsv(root, 'expected-dihedral.csv').filter((row) =>
      existsSync(ppmOf(row.file ?? '')),
    );
    expect(rows.length).toBeGreaterThan(10);
    const columns = ['orig', 'rot90', 'rot180', 'rot270', 'flipx', 'flipy', 'flipp', 'flipm'] as const;
    expect(columns.length).toBe(DIHEDRAL_NAMES.length);
    for (const row of rows) {
      const ours = pdqDihedralFromPixels(readPpm(readFileSync(ppmOf(row.file ?? ''))));
      expect({ file: row.file, hashes: ours.hashes.map((h) => h.hex), quality: ours.quality }).toEqual({
        file: row.file,
        hashes: columns.map((c) => row[c]),
        quality: Number(row.quality),
      });
    }
  });

  it('hashes the image files, decoded with sharp, within 10 bits of the reference when quality ≥ 80', async () => {
    const distances: number[] = [];
    for (const row of readReferenceCsv(root, 'expected.csv')) {
      const ours = await pdqFromImage(path.join(root, 'images', row.file ?? ''));
      const distance = pdqDistance(ours.hash, pdqFromHex(row.pdq ?? ''));
      if (Number(row.quality) >= 80) {
        distances.push(distance);
        expect({ file: row.file, withinTen: distance <= 10 }).toEqual({ file: row.file, withinTen: true });
      }
      expect(Math.abs(ours.quality - Number(row.quality))).toBeLessThanOrEqual(5);
    }
    expect(distances.length).toBeGreaterThan(25);
    const mean = distances.reduce((a, b) => a + b, 0) / distances.length;
    console.info(
      `PDQ of ${distances.length} image files vs reference: max distance ${Math.max(...distances)}, mean ${mean.toFixed(2)}`,
    );
  });

  it("computes the image files' dihedral hashes within 10 bits of the reference's", async () => {
    const rows = readReferenceCsv(root, 'expected-dihedral.csv');
    const distances: number[] = [];
    for (const row of rows) {
      const ours = await pdqDihedralFromImage(path.join(root, 'images', row.file ?? ''));
      const expected = ['orig', 'rot90', 'rot180', 'rot270', 'flipx', 'flipy', 'flipp', 'flipm'].map(
        (c) => row[c] ?? '',
      );
      ours.hashes.forEach((h, i) => {
        distances.push(pdqDistance(h.hash, pdqFromHex(expected[i] ?? '')));
      });
    }
    // Math.max() of nothing is -Infinity, which is ≤ 10: an empty reference file must fail.
    expect(rows.length).toBeGreaterThan(0);
    expect(distances).toHaveLength(rows.length * 8);
    expect(Math.max(...distances)).toBeLessThanOrEqual(10);
  });

  it('matches each rotated or mirrored copy of a photo through the dihedral hashes of the original', async () => {
    const original = await pdqDihedralFromImage(path.join(root, 'images/dih/bridge-1-original.jpg'));
    const copies = [
      'bridge-1-original.jpg',
      'bridge-2-rotate-90.jpg',
      'bridge-3-rotate-180.jpg',
      'bridge-4-rotate-270.jpg',
      'bridge-5-flipx.jpg',
      'bridge-6-flipy.jpg',
      'bridge-7-flip-plus-1.jpg',
      'bridge-8-flip-minus-1.jpg',
    ];
    for (const [i, copy] of copies.entries()) {
      const hash = (await pdqFromImage(path.join(root, 'images/dih', copy))).hash;
      const distances = original.hashes.map((h) => pdqDistance(h.hash, hash));
      // The copy is close to the variant of its own transform, and far from the original itself.
      expect({ copy, nearest: distances.indexOf(Math.min(...distances)) }).toEqual({ copy, nearest: i });
      expect(distances[i]).toBeLessThanOrEqual(31);
      if (i > 0) expect(distances[0]).toBeGreaterThan(31);
    }
  });
});
