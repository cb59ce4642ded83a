import ts from 'typescript';

/**
 * Reading docs/conformance.md and checking it against the test files and the rulebook.
 * Plain functions over text: files come in through `FileAccess`, so the checker can be
 * tried on an in-memory sample as well as on the repository.
 */

export const STATUSES = ['met', 'partial', 'not met', 'not applicable'] as const;
export type Status = (typeof STATUSES)[number];

export interface TestRef {
  file: string;
  title: string;
}

export interface Row {
  /** 1-based line in the document, for messages. */
  line: number;
  id: string;
  requirement: string;
  status: Status | null;
  /** The status cell as written. */
  statusText: string;
  /** Why, for anything but met. */
  reason: string;
  code: string[];
  tests: TestRef[];
}

const HEADER = ['id', 'requirement', 'status', 'code', 'tests'];
const NONE = new Set(['', '—', '-', '–']);
const TEST_SEPARATOR = ' › ';

/** Splits a table line on the pipes that are not escaped (`\|` stays in the cell, as `|`). */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && inner[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

function parseStatus(text: string): { status: Status | null; reason: string } {
  // Longest first, so that "not met" is not read as "met"… which it cannot be anyway, but
  // "not applicable" must not stop at "not".
  const match = /^(not applicable|not met|partial|met)\b\s*(?:[—–:-]\s*)?([\s\S]*)$/.exec(text.trim());
  if (!match) return { status: null, reason: '' };
  return { status: match[1] as Status, reason: match[2]!.trim() };
}

function parseTests(text: string, problems: string[], where: string): TestRef[] {
  if (NONE.has(text.trim())) return [];
  const refs: TestRef[] = [];
  for (const part of text.split(/<br\s*\/?>/i)) {
    const entry = part.trim();
    if (entry === '') continue;
    const at = entry.indexOf(TEST_SEPARATOR);
    if (at < 0) {
      problems.push(`${where}: "${entry}" is not "path/to/file.test.ts › test title"`);
      continue;
    }
    refs.push({ file: entry.slice(0, at).trim(), title: entry.slice(at + TEST_SEPARATOR.length).trim() });
  }
  return refs;
}

function parseCode(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
}

/**
 * Every row of every table whose header is `| id | requirement | status | code | tests |`.
 * Other tables and text are left alone, so the document can explain itself.
 */
export function parseConformanceTable(markdown: string): { rows: Row[]; problems: string[] } {
  const lines = markdown.split(/\r?\n/);
  const rows: Row[] = [];
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i]!.trim();
    if (!head.startsWith('|')) continue;
    const names = cells(head).map((c) => c.toLowerCase());
    if (names.join('|') !== HEADER.join('|')) continue;
    i += 2; // the header and its separator row
    for (; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
      const line = i + 1;
      const row = cells(lines[i]!);
      const where = `line ${line}`;
      if (row.length !== HEADER.length) {
        problems.push(`${where}: a row has ${HEADER.length} cells, this one ${row.length}`);
        continue;
      }
      const [id, requirement, statusText, code, tests] = row as [string, string, string, string, string];
      const { status, reason } = parseStatus(statusText);
      rows.push({
        line,
        id,
        requirement,
        status,
        statusText,
        reason,
        code: parseCode(code),
        tests: parseTests(tests, problems, `${where} (${id})`),
      });
    }
  }
  return { rows, problems };
}

/**
 * The titles of the `it(…)` and `test(…)` calls in a test file, read with the TypeScript
 * parser so that every quote and escape is read as the file means it: 'single', "double",
 * `backtick` (without `${…}`), escaped quotes, titles on the next line, and the chained
 * forms it.skip(…), it.skipIf(cond)(…), it.each(table)(…), test.concurrent(…).
 * Describe titles are not included: a row names the test itself.
 */
export function testTitles(source: string, fileName = 'file.test.ts'): Set<string> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const titles = new Set<string>();
  const root = (expression: ts.Expression): ts.Expression => {
    let e = expression;
    for (;;) {
      if (ts.isPropertyAccessExpression(e)) e = e.expression;
      else if (ts.isCallExpression(e)) e = e.expression;
      else return e;
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const base = root(node.expression);
      const first = node.arguments[0];
      if (
        ts.isIdentifier(base) &&
        (base.text === 'it' || base.text === 'test') &&
        first &&
        (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
      )
        titles.add(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

export interface FileAccess {
  /** The text of a repository file, or null when there is none. */
  read(path: string): string | null;
  exists(path: string): boolean;
}

/**
 * What is wrong with the rows, as messages that name the row and what to fix. Empty when
 * all is well.
 */
export function checkRows(rows: Row[], files: FileAccess): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const titlesOf = new Map<string, Set<string> | null>();
  for (const row of rows) {
    const where = `line ${row.line} (${row.id || 'no id'})`;
    if (!/^[A-Z]{2,4}-\d+$/.test(row.id)) problems.push(`${where}: the id should look like NI-12`);
    const before = seen.get(row.id);
    if (before !== undefined) problems.push(`${where}: id ${row.id} is also used on line ${before}`);
    seen.set(row.id, row.line);
    if (row.requirement === '') problems.push(`${where}: the requirement is empty`);
    if (row.status === null)
      problems.push(`${where}: status "${row.statusText}" is not one of ${STATUSES.join(', ')}`);
    else if (row.status === 'met') {
      if (row.tests.length === 0)
        problems.push(`${where}: it is called met but names no test that proves it`);
    } else if (row.reason === '') problems.push(`${where}: a row that is ${row.status} must say why`);
    for (const path of row.code)
      if (!files.exists(path)) problems.push(`${where}: the code ${path} does not exist`);
    for (const ref of row.tests) {
      if (!titlesOf.has(ref.file)) {
        const text = files.read(ref.file);
        titlesOf.set(ref.file, text === null ? null : testTitles(text, ref.file));
      }
      const titles = titlesOf.get(ref.file);
      if (titles === null || titles === undefined)
        problems.push(`${where}: the test file ${ref.file} does not exist`);
      else if (!titles.has(ref.title))
        problems.push(`${where}: ${ref.file} has no it/test titled "${ref.title}"`);
    }
  }
  return problems;
}

/**
 * The bold labels of the rulebook's requirements: the `**label**` that opens a bullet,
 * from the first `## ` section on (the key to the sources above it is not a requirement),
 * without its closing `:` or `.`.
 */
export function rulebookLabels(markdown: string): string[] {
  const start = markdown.search(/^## /m);
  const body = start < 0 ? markdown : markdown.slice(start);
  const labels: string[] = [];
  for (const match of body.matchAll(/^\s*[-*]\s+\*\*(.+?)\*\*/gm)) {
    const label = match[1]!
      .trim()
      .replace(/[:.]+$/, '')
      .trim();
    if (label !== '' && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

const plain = (requirement: string) => requirement.replace(/\*\*/g, '').trim();

/** Labels that no row begins with, and rows that begin with no label. */
export function compareWithRulebook(labels: string[], rows: Row[]) {
  const uncovered = labels.filter((label) => !rows.some((row) => plain(row.requirement).startsWith(label)));
  const unlabelled = rows.filter((row) => !labels.some((label) => plain(row.requirement).startsWith(label)));
  return { uncovered, unlabelled };
}
