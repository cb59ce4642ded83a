/**
 * npm run bench:pdq [-- --seconds 3]
 *
 * Images per second of PDQ hashing, with decoding (sharp) and from already-decoded pixels, next
 * to sharp's decoding alone: how much hashing adds to what any pipeline pays anyway. Uses Meta's
 * reference images when ../shared/pdq-reference is present, else synthetic JPEGs and PNGs made
 * with sharp. sharp is limited to one thread so that the figures are per core.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../src/screening/pdq/image-decoding.ts';
import { pdqFromImage } from '../src/screening/pdq/image-hashing.ts';
import { pdqDihedralFromPixels, pdqFromPixels } from '../src/screening/pdq/pdq-hasher.ts';
import type { PixelImage } from '../src/screening/pdq/pixels.ts';
import { referenceDataDir } from '../src/screening/pdq/reference-data.ts';
import {
  argument,
  format,
  load,
  machine,
  perSecond,
  perSecondAsync,
  printTable,
  type Rate,
  seededWords,
} from './bench-support.ts';

const seconds = Number(argument('seconds') ?? 3);
sharp.concurrency(1);

async function referenceImages(): Promise<{ source: string; files: Uint8Array[] } | null> {
  const dir = referenceDataDir();
  if (!dir) return null;
  const root = path.join(dir, 'images');
  const { readFile } = await import('node:fs/promises');
  const files: Uint8Array[] = [];
  for (const folder of readdirSync(root)) {
    for (const name of readdirSync(path.join(root, folder)))
      files.push(await readFile(path.join(root, folder, name)));
  }
  return {
    source: `Meta's PDQ reference images (${files.length} files, JPEG and PNG, 34×42 to 4032×3024)`,
    files,
  };
}

async function syntheticImages(): Promise<{ source: string; files: Uint8Array[] }> {
  const next = seededWords(3);
  const files: Uint8Array[] = [];
  for (let i = 0; i < 24; i++) {
    const width = 640 + (next() % 1400);
    const height = 480 + (next() % 1000);
    const data = new Uint8Array(width * height * 3);
    const fx = 1 + (next() % 9);
    const fy = 1 + (next() % 9);
    for (let p = 0; p < width * height; p++) {
      const x = p % width;
      const y = Math.floor(p / width);
      const v = 128 + 100 * Math.sin((fx * x) / width) * Math.cos((fy * y) / height);
      data[p * 3] = v;
      data[p * 3 + 1] = (v + x) & 0xff;
      data[p * 3 + 2] = (v + y) & 0xff;
    }
    const image = sharp(data, { raw: { width, height, channels: 3 } });
    files.push(await (i % 2 ? image.png() : image.jpeg({ quality: 85 })).toBuffer());
  }
  return { source: `synthetic images (${files.length} files, JPEG and PNG, 640×480 to 2040×1480)`, files };
}

const { source, files } = (await referenceImages()) ?? (await syntheticImages());
const pixels: PixelImage[] = [];
for (const file of files) pixels.push(await decodeImage(file));
process.stdout.write(`bench:pdq — ${machine()}, ${load()}; sharp on one thread; ${source}\n`);

let i = 0;
const nextFile = () => files[i++ % files.length] as Uint8Array;
const nextPixels = () => pixels[i++ % pixels.length] as PixelImage;

const decodeRate = await perSecondAsync(async () => {
  await decodeImage(nextFile());
}, seconds);
i = 0;
const hashFileRate = await perSecondAsync(async () => {
  await pdqFromImage(nextFile());
}, seconds);
i = 0;
const hashPixelsRate = perSecond(() => pdqFromPixels(nextPixels()), seconds);
i = 0;
const dihedralPixelsRate = perSecond(() => pdqDihedralFromPixels(nextPixels()), seconds);

const row = (what: string, rate: Rate) => [
  what,
  format(rate.wall, 1),
  format(rate.cpu, 1),
  `${format(rate.cpu / decodeRate.cpu, 2)}×`,
];
printTable(
  'PDQ hashing, images per second (one core)',
  ['what', 'images/s (wall)', 'images/s (CPU)', 'vs decoding alone'],
  [
    row('sharp decoding alone (baseline)', decodeRate),
    row('PDQ with decoding (file → hash)', hashFileRate),
    row('PDQ from decoded pixels', hashPixelsRate),
    row('8 dihedral PDQs from decoded pixels', dihedralPixelsRate),
  ],
);
process.stdout.write(
  '\nimages/s per second of wall-clock time and per second of CPU time (what one core does when the process is\n' +
    'not waiting for one). "vs decoding alone" compares CPU-time rates; below 1 means slower than decoding.\n',
);
