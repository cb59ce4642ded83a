import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';

/** The default radius as --help shows it, without loading the index; a test keeps it equal to PDQ_DEFAULT_MAX_DISTANCE. */
export const DEFAULT_MAX_DISTANCE_HELP = '31';

interface MatchOptions {
  bank: string;
  query: string;
  maxDistance: string;
  json?: boolean;
}

const HELP = `
BANK.csv: one "signal_type,signal" row per entry, as hash-sharing programmes export them (more
columns are allowed and ignored; a header row "signal_type,…" is skipped). Rows of other signal
types are skipped and counted. Repeated signals are matched once.

QUERIES.txt: one PDQ hash (64 hex digits) per line; blank lines and lines starting with # are
skipped; anything after the hash (",quality,file" as pdq-photo-hasher prints it) is ignored.

Output, one per query in file order:
  --json   one JSON object per line: {"query", "matches": [{"signal", "distance"}]}, nearest first
  default  "<query> <n> match(es)", then one indented "<signal> <distance>" line per match

The search is exact: it returns what comparing every pair would, through a multi-index. Malformed
rows or lines are reported on stderr with their line number and make the exit status 1.`;

/** tapis match --bank BANK.csv --query QUERIES.txt [--max-distance 31] [--json] */
export function register(program: Command): void {
  program
    .command('match')
    .description('match PDQ hashes against a bank file, offline (no server, no database)')
    .requiredOption('--bank <file>', 'bank CSV: signal_type,signal rows')
    .requiredOption('--query <file>', 'one PDQ hash per line')
    .option('--max-distance <n>', 'largest Hamming distance that matches (0–256)', DEFAULT_MAX_DISTANCE_HELP)
    .option('--json', 'one JSON object per line')
    .addHelpText('after', HELP)
    .action(async (options: MatchOptions) => {
      const [{ PdqIndex }, { PDQ_WORDS, pdqFromHex, pdqToHex }, { canonicalSignal }] = await Promise.all([
        import('../../screening/matching/pdq-index.ts'),
        import('../../screening/pdq/hash256.ts'),
        import('../../screening/signal-types.ts'),
      ]);
      const maxDistance = Number(options.maxDistance);
      if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256) {
        throw new Error(`--max-distance '${options.maxDistance}' is not an integer from 0 to 256`);
      }
      const bank = await readPdqBank(options.bank);
      if (bank.skipped > 0) {
        process.stderr.write(`tapis match: ${options.bank}: skipped ${bank.skipped} rows that are not pdq\n`);
      }
      const index = PdqIndex.fromHashes(bank.hashes);
      let failed = bank.failed;
      let lineNumber = 0;
      const lines = createInterface({
        input: createReadStream(options.query),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const line of lines) {
        lineNumber++;
        const text = line.trim();
        if (text === '' || text.startsWith('#')) continue;
        const hex = text.split(/[\s,]/)[0] ?? '';
        let query: Uint32Array;
        try {
          query = pdqFromHex(canonicalSignal('pdq', hex));
        } catch (error) {
          failed = true;
          process.stderr.write(`tapis match: ${options.query}:${lineNumber}: ${(error as Error).message}\n`);
          continue;
        }
        const matches = index.query(query, maxDistance).map((m) => ({
          signal: pdqToHex(bank.hashes, m.id * PDQ_WORDS),
          distance: m.distance,
        }));
        process.stdout.write(
          `${options.json ? JSON.stringify({ query: pdqToHex(query), matches }) : textResult(pdqToHex(query), matches)}\n`,
        );
      }
      if (failed) process.exitCode = 1;
    });
}

function textResult(query: string, matches: { signal: string; distance: number }[]): string {
  const head = `${query} ${matches.length} ${matches.length === 1 ? 'match' : 'matches'}`;
  return [head, ...matches.map((m) => `  ${m.signal} ${m.distance}`)].join('\n');
}

/** The distinct PDQ hashes of a bank CSV, packed 8 words each. */
async function readPdqBank(file: string): Promise<{ hashes: Uint32Array; skipped: number; failed: boolean }> {
  const [{ parse }, { PDQ_WORDS, pdqFromHex }, { canonicalSignal }] = await Promise.all([
    import('csv-parse'),
    import('../../screening/pdq/hash256.ts'),
    import('../../screening/signal-types.ts'),
  ]);
  const seen = new Set<string>();
  let hashes = new Uint32Array(1024 * PDQ_WORDS);
  let count = 0;
  let skipped = 0;
  let failed = false;
  const parser = createReadStream(file).pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, trim: true, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    const [type = '', value = ''] = record;
    if (info.lines === 1 && type.toLowerCase() === 'signal_type') continue;
    if (type.toLowerCase() !== 'pdq') {
      skipped++;
      continue;
    }
    try {
      const hex = canonicalSignal('pdq', value);
      if (seen.has(hex)) continue;
      seen.add(hex);
      if ((count + 1) * PDQ_WORDS > hashes.length) {
        const grown = new Uint32Array(hashes.length * 2);
        grown.set(hashes);
        hashes = grown;
      }
      hashes.set(pdqFromHex(hex), count * PDQ_WORDS);
      count++;
    } catch (error) {
      failed = true;
      process.stderr.write(`tapis match: ${file}:${info.lines}: ${(error as Error).message}\n`);
    }
  }
  return { hashes: hashes.slice(0, count * PDQ_WORDS), skipped, failed };
}
