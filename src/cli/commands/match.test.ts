import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tapis-match-cli-'));

/** A hash with the given hex digit repeated, and one with its last digits changed. */
const A = 'a'.repeat(64);
const A_NEAR = `${'a'.repeat(60)}a5a5`; // 0xaaaa → 0xa5a5 flips 8 bits
const B = '5'.repeat(64); // every bit differs from A

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('tapis match', () => {
  const bank = write(
    'bank.csv',
    [
      'signal_type,signal,note',
      `pdq,${A},first`,
      `md5,${'0'.repeat(32)},other`,
      `pdq,${A},duplicate`,
      `pdq,${B},far`,
    ].join('\n'),
  );

  it('prints one JSON object per query with the banked signals within the distance, nearest first', async () => {
    const queries = write('queries.txt', [`# test queries`, A_NEAR, '', `${B},100,file.jpg`].join('\n'));
    const result = await runCli(['match', '--bank', bank, '--query', queries, '--json']);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { query: A_NEAR, matches: [{ signal: A, distance: 8 }] },
      { query: B, matches: [{ signal: B, distance: 0 }] },
    ]);
    expect(result.stderr).toContain('skipped 1 rows that are not pdq');
  });

  it('honours --max-distance', async () => {
    const queries = write('near.txt', `${A_NEAR}\n`);
    const result = await runCli([
      'match',
      '--bank',
      bank,
      '--query',
      queries,
      '--json',
      '--max-distance',
      '7',
    ]);
    expect(JSON.parse(result.stdout)).toEqual({ query: A_NEAR, matches: [] });
  });

  it('reports malformed lines with their line number, exits 1, and still answers the others', async () => {
    const queries = write('mixed.txt', ['not-a-hash', A].join('\n'));
    const result = await runCli(['match', '--bank', bank, '--query', queries]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mixed\.txt:1: pdq: 'not-a-hash' is not 64 hexadecimal digits/);
    expect(result.stdout).toBe(`${A} 1 match\n  ${A} 0\n`);
  });

  it('refuses a distance that is not a number', async () => {
    const result = await runCli(['match', '--bank', bank, '--query', bank, '--max-distance', 'far']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--max-distance 'far'/);
  });
});
