import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkRows,
  compareWithRulebook,
  type FileAccess,
  parseConformanceTable,
  rulebookLabels,
  testTitles,
} from './conformance-table.ts';

/**
 * docs/conformance.md names, for each requirement of the rulebook, the test that proves it
 * (issue 14 item 11). This keeps it true: every named test exists, every `met` names one,
 * every status is an allowed word, and every requirement of RULEBOOK.md has a row.
 */
const root = path.resolve(import.meta.dirname, '../..');
const document = readFileSync(path.join(root, 'docs/conformance.md'), 'utf8');
const repository: FileAccess = {
  read: (file) => {
    const full = path.join(root, file);
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : null;
  },
  exists: (file) => existsSync(path.join(root, file)),
};

/**
 * The rulebook lives outside the repository: TAPIS_RULEBOOK names it, else ../shared beside
 * the checkout, else /work/shared (where CI finds it when it clones elsewhere). A path that
 * TAPIS_RULEBOOK names must exist: asking for a file and skipping without it would hide a
 * misconfiguration.
 */
function findRulebook(): { file: string | null; reason: string } {
  const named = process.env.TAPIS_RULEBOOK;
  if (named) return { file: named, reason: '' };
  const candidates = [path.resolve(root, '../shared/RULEBOOK.md'), '/work/shared/RULEBOOK.md'];
  const file = candidates.find((candidate) => existsSync(candidate)) ?? null;
  return {
    file,
    reason: file
      ? ''
      : `RULEBOOK.md not found (set TAPIS_RULEBOOK, or put it at ${candidates.join(' or ')}): ` +
        'the check that every requirement of the rulebook has a row is skipped',
  };
}
const rulebook = findRulebook();
if (!rulebook.file) console.warn(rulebook.reason);

const { rows, problems: parseProblems } = parseConformanceTable(document);

describe('the conformance table (docs/conformance.md)', () => {
  it('reads as rows of id, requirement, status, code and tests', () => {
    expect(parseProblems).toEqual([]);
    expect(rows.length).toBeGreaterThan(50);
  });

  it('names, in every row, test files that exist and test titles that are in them, and code that exists', () => {
    expect(checkRows(rows, repository)).toEqual([]);
  });

  it('gives every row an allowed status, a reason unless met, and a test when met', () => {
    for (const row of rows) {
      expect(row.status, `line ${row.line}: ${row.statusText}`).not.toBeNull();
      if (row.status === 'met') expect(row.tests.length, `line ${row.line}`).toBeGreaterThan(0);
      else expect(row.reason, `line ${row.line}`).not.toBe('');
    }
  });

  it.skipIf(!rulebook.file)(
    'has a row for every bold-labelled requirement of RULEBOOK.md, and every row begins with one',
    () => {
      const file = rulebook.file!;
      expect(existsSync(file), `TAPIS_RULEBOOK names ${file}, which does not exist`).toBe(true);
      const labels = rulebookLabels(readFileSync(file, 'utf8'));
      expect(labels.length).toBeGreaterThan(30);
      const { uncovered, unlabelled } = compareWithRulebook(labels, rows);
      expect(uncovered, 'requirements of RULEBOOK.md with no row').toEqual([]);
      expect(
        unlabelled.map((row) => `line ${row.line} (${row.id}): ${row.requirement}`),
        'rows that do not begin with a bold label of RULEBOOK.md',
      ).toEqual([]);
    },
  );
});

describe('the checker itself, on a sample', () => {
  const sampleTests = [
    "import { describe, it, test } from 'vitest';",
    "describe('a group', () => {",
    "  it('a plain title', () => {});",
    '  it("the user\'s \\"quoted\\" title", () => {});',
    "  it('it\\'s escaped', () => {});",
    '  it(`a backtick title`, () => {});',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a test file's source, with a title built from ${…} on purpose
    '  it(`an ${interpolated} title`, () => {});',
    '  it.skipIf(!process.env.X)(',
    "    'a title on the next line',",
    '    () => {},',
    '  );',
    "  it.each([1, 2])('each %s', () => {});",
    "  test.concurrent('a concurrent test', () => {});",
    '});',
  ].join('\n');
  const sampleFiles: Record<string, string> = {
    'test/sample.test.ts': sampleTests,
    'src/sample.ts': 'export {};',
  };
  const memory: FileAccess = {
    read: (file) => sampleFiles[file] ?? null,
    exists: (file) => file in sampleFiles,
  };
  const table = (...lines: string[]) =>
    [
      '# Sample',
      '',
      '| id | requirement | status | code | tests |',
      '| --- | --- | --- | --- | --- |',
      ...lines,
    ].join('\n');

  it('reads titles in every kind of quote, escaped quotes and chained calls, and no describe title', () => {
    expect([...testTitles(sampleTests)].sort()).toEqual(
      [
        'a plain title',
        'the user\'s "quoted" title',
        "it's escaped",
        'a backtick title',
        'a title on the next line',
        'each %s',
        'a concurrent test',
      ].sort(),
    );
  });

  it('passes a row whose tests and code exist', () => {
    const { rows: sample, problems } = parseConformanceTable(
      table(
        '| XX-1 | Who: anyone [S 1] | met | `src/sample.ts` | test/sample.test.ts › a plain title<br>test/sample.test.ts › the user\'s "quoted" title |',
      ),
    );
    expect(problems).toEqual([]);
    expect(sample).toHaveLength(1);
    expect(sample[0]!.tests).toHaveLength(2);
    expect(checkRows(sample, memory)).toEqual([]);
  });

  it('fails a row that names a missing test file, a missing title, a describe title or missing code', () => {
    const { rows: sample } = parseConformanceTable(
      table(
        '| XX-1 | Who: anyone [S 1] | met | `src/gone.ts` | test/gone.test.ts › a plain title |',
        '| XX-2 | What: a thing [S 2] | met | — | test/sample.test.ts › no such title |',
        '| XX-3 | What: a group [S 2] | met | — | test/sample.test.ts › a group |',
      ),
    );
    expect(checkRows(sample, memory)).toEqual([
      'line 5 (XX-1): the code src/gone.ts does not exist',
      'line 5 (XX-1): the test file test/gone.test.ts does not exist',
      'line 6 (XX-2): test/sample.test.ts has no it/test titled "no such title"',
      'line 7 (XX-3): test/sample.test.ts has no it/test titled "a group"',
    ]);
  });

  it('fails a met row without a test, an unknown status, a partial row without a reason and a repeated id', () => {
    const { rows: sample } = parseConformanceTable(
      table(
        '| XX-1 | Who: anyone [S 1] | met | — | — |',
        '| XX-2 | What: a thing [S 2] | done | — | — |',
        '| XX-3 | What: more [S 2] | partial | — | — |',
        '| XX-3 | What: again [S 2] | not met — nobody built it | — | — |',
      ),
    );
    expect(checkRows(sample, memory)).toEqual([
      'line 5 (XX-1): it is called met but names no test that proves it',
      'line 6 (XX-2): status "done" is not one of met, partial, not met, not applicable',
      'line 7 (XX-3): a row that is partial must say why',
      'line 8 (XX-3): id XX-3 is also used on line 7',
    ]);
    expect(sample.map((row) => row.status)).toEqual(['met', null, 'partial', 'not met']);
    expect(sample[3]!.reason).toBe('nobody built it');
  });

  it('refuses a test entry without its separator and a row with too few cells', () => {
    const { problems } = parseConformanceTable(
      table('| XX-1 | Who | met | — | test/sample.test.ts a plain title |', '| XX-2 | What | met |'),
    );
    expect(problems).toEqual([
      'line 5 (XX-1): "test/sample.test.ts a plain title" is not "path/to/file.test.ts › test title"',
      'line 6: a row has 5 cells, this one 3',
    ]);
  });

  it('finds the rulebook’s bold labels after the key to the sources, and the ones no row covers', () => {
    const sampleRulebook = [
      '# Rules',
      '- **DSA**: a source, not a requirement.',
      '## Intake',
      '- **Who may notify:** anyone.',
      '- **Nothing may be dropped.** Ever.',
      '  - a sub-point without a label',
      '- **Keep it for 6 months**, then delete it.',
    ].join('\n');
    const labels = rulebookLabels(sampleRulebook);
    expect(labels).toEqual(['Who may notify', 'Nothing may be dropped', 'Keep it for 6 months']);
    const { rows: sample } = parseConformanceTable(
      table(
        '| XX-1 | Who may notify: anyone [S 1] | met | — | test/sample.test.ts › a plain title |',
        '| XX-2 | Something else [S 2] | not met — no | — | — |',
      ),
    );
    const { uncovered, unlabelled } = compareWithRulebook(labels, sample);
    expect(uncovered).toEqual(['Nothing may be dropped', 'Keep it for 6 months']);
    expect(unlabelled.map((row) => row.id)).toEqual(['XX-2']);
  });
});
