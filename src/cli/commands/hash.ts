import type { Command } from 'commander';
import type { MediaHashes } from '../../screening/media-hashes.ts';

interface HashOptions {
  json?: boolean;
  dihedral?: boolean;
}

const HELP = `
Output:
  --json   one JSON object per line (NDJSON), in the order of the files:
             {"file", "pdq", "quality", "md5", "sha256"[, "pdq_dihedral": [8 hashes]]}
           pdq and quality are null for a file that is not a decodable image.
  default  one line per file, space-separated, the file name last (as sha256sum):
             <pdq> <quality> <md5> <sha256> [<8 dihedral hashes>] <file>
           with "-" for the PDQ and quality of a file that is not an image.

Images: binary PGM and PPM (P5, P6), read as the reference reads them, and every format sharp
decodes (JPEG, PNG, WebP, GIF, AVIF, TIFF, SVG).

PDQ is Meta's perceptual hash, identical to the reference implementation. The stored pixels
are hashed: EXIF orientation is not applied. --dihedral adds the hashes of the 8 rotations and
mirrors in the reference's order: original, rot90, rot180, rot270, flipx, flipy, flip_plus1,
flip_minus1 (rot90 is a quarter turn counter-clockwise).

A file that cannot be read, or is not a decodable image, is reported on stderr and makes the
exit status 1; the other files are still hashed (exact hashes are printed for non-images).`;

/** tapis hash [--json] [--dihedral] FILE… */
export function register(program: Command): void {
  program
    .command('hash')
    .description('compute the PDQ, MD5 and SHA-256 hashes of files, offline')
    .argument('<files...>', 'image or other files')
    .option('--json', 'one JSON object per line')
    .option('--dihedral', 'add the 8 dihedral PDQ hashes')
    .addHelpText('after', HELP)
    .action(async (files: string[], options: HashOptions) => {
      const { hashMediaFile } = await import('../../screening/media-hashes.ts');
      let failed = false;
      for await (const [file, outcome] of hashInOrder(hashMediaFile, files, options.dihedral ?? false)) {
        if (outcome instanceof Error) {
          failed = true;
          process.stderr.write(`tapis hash: ${file}: ${outcome.message}\n`);
          continue;
        }
        if (outcome.pdqError) {
          failed = true;
          process.stderr.write(`tapis hash: ${file}: no PDQ: ${outcome.pdqError}\n`);
        }
        process.stdout.write(
          `${options.json ? jsonLine(file, outcome, options) : textLine(file, outcome)}\n`,
        );
      }
      if (failed) process.exitCode = 1;
    });
}

/** How many files are hashed at once: sharp decodes on its own threads, so a few overlap well. */
const CONCURRENCY = 4;

/** Hashes files a few at a time and yields the outcomes in argument order. */
async function* hashInOrder(
  hashMediaFile: (file: string, options: { dihedral: boolean }) => Promise<MediaHashes>,
  files: string[],
  dihedral: boolean,
): AsyncGenerator<[string, MediaHashes | Error]> {
  const start = (file: string): Promise<MediaHashes | Error> =>
    hashMediaFile(file, { dihedral }).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
  const running: Promise<MediaHashes | Error>[] = files.slice(0, CONCURRENCY).map(start);
  for (const [i, file] of files.entries()) {
    const outcome = await (running[i] as Promise<MediaHashes | Error>);
    const next = files[i + CONCURRENCY];
    if (next !== undefined) running.push(start(next));
    yield [file, outcome];
  }
}

function jsonLine(file: string, hashes: MediaHashes, options: HashOptions): string {
  return JSON.stringify({
    file,
    pdq: hashes.pdq,
    quality: hashes.quality,
    md5: hashes.md5,
    sha256: hashes.sha256,
    ...(options.dihedral ? { pdq_dihedral: hashes.pdqDihedral ?? null } : {}),
  });
}

function textLine(file: string, hashes: MediaHashes): string {
  return [
    hashes.pdq ?? '-',
    hashes.quality ?? '-',
    hashes.md5,
    hashes.sha256,
    ...(hashes.pdqDihedral ?? []),
    file,
  ].join(' ');
}
