import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { decodeBulkFile, MAX_BULK_ROWS, parseBulkFile, validateRecord } from './bulk-parse.ts';

const header = 'targets,category,explanation,good_faith';
const explanation = 'Synthetic: the post recruits for a designated group.';

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'invalid') return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const validated = (text: string, format: 'csv' | 'jsonl') => parseBulkFile(text, format).map(validateRecord);

describe('CSV bulk files', () => {
  it('turn each row into the notice a JSON client would send', () => {
    const csv = [
      'targets,category,jurisdiction,kind,legal_basis,legal_references,explanation,reference,good_faith,language,notifier_name,notifier_email,anonymous',
      `"https://t.me/a_channel/1 | @b_channel  t.me/c_channel",terrorism,ID,notice,UU 5/2018,"UU 11/2008|Pasal 45; UU 5/2018",${explanation},B-1/2026,ya,id,Analis,analis@komdigi.example,no`,
    ].join('\n');
    const [row] = validated(csv, 'csv');
    expect(row).toEqual({
      row: 1,
      notice: {
        targets: ['https://t.me/a_channel/1', '@b_channel', 't.me/c_channel'],
        category: 'terrorism',
        jurisdiction: 'ID',
        kind: 'notice',
        legal_basis: 'UU 5/2018',
        legal_references: [{ instrument: 'UU 11/2008', provision: 'Pasal 45' }, { instrument: 'UU 5/2018' }],
        explanation,
        reference: 'B-1/2026',
        good_faith: true,
        language: 'id',
        notifier: { name: 'Analis', email: 'analis@komdigi.example' },
        anonymous: false,
      },
    });
  });

  it('apply the schema’s defaults to empty cells and name each fault with a JSON pointer', () => {
    const csv = [
      header,
      `@fine_channel,gambling,${explanation},1`,
      `@other_channel,gambling,too short,maybe`,
    ].join('\r\n');
    const [ok, bad] = validated(csv, 'csv');
    expect(ok).toMatchObject({ notice: { jurisdiction: 'ID', kind: 'notice', anonymous: false } });
    expect(bad).toMatchObject({
      row: 2,
      problem: { reason: expect.stringMatching(/^explanation: .*20 characters.*\(and 1 more\)$/) },
    });
    const pointers = 'problem' in bad! ? bad.problem.errors.map((e) => e.pointer) : [];
    expect(pointers).toEqual(['/explanation', '/good_faith']);
  });

  it('read semicolon-separated files, a BOM and quotes inside cells', () => {
    const csv = `\uFEFFtargets;category;explanation;good_faith\n@semi_channel;hoax;He wrote "join us" - ${explanation};true\n`;
    const [row] = validated(decodeBulkFile(Buffer.from(csv)), 'csv');
    expect(row).toMatchObject({
      notice: { targets: ['@semi_channel'], explanation: `He wrote "join us" - ${explanation}` },
    });
  });

  it('skip blank rows and rows of empty cells without numbering them', () => {
    const csv = [
      header,
      '',
      ',,,',
      `@one_channel,hoax,${explanation},1`,
      '',
      `@two_channel,hoax,${explanation},1`,
    ].join('\n');
    expect(parseBulkFile(csv, 'csv').map((r) => r.row)).toEqual([1, 2]);
  });

  it('make a row with more cells than the header invalid, alone', () => {
    const csv = [
      header,
      `@one_channel,hoax,${explanation},1,extra`,
      `@two_channel,hoax,${explanation},1`,
    ].join('\n');
    const [bad, ok] = validated(csv, 'csv');
    expect(bad).toMatchObject({ problem: { reason: 'the row has 5 cells; the header names 4 columns' } });
    expect(ok).toHaveProperty('notice');
  });

  it('refuse a header with unknown, repeated or missing columns, naming them', () => {
    expect(refused(() => parseBulkFile(`${header},explanaton,colour\n`, 'csv'))).toMatch(
      /unknown CSV columns 'explanaton', 'colour'/,
    );
    expect(refused(() => parseBulkFile(`${header},category\n`, 'csv'))).toMatch(/category more than once/);
    expect(refused(() => parseBulkFile('targets,category\n', 'csv'))).toMatch(
      /lacks the columns explanation, good_faith/,
    );
  });

  it('refuse a file that is not CSV at all, and one with a header only', () => {
    expect(refused(() => parseBulkFile(`${header}\n"@open,hoax,x,1\n`, 'csv'))).toMatch(
      /the CSV cannot be read: Quote Not Closed/,
    );
    expect(refused(() => parseBulkFile(`${header}\n`, 'csv'))).toBe('the file holds no notices');
  });

  it('read back any cell a CSV writer wrote', () => {
    const cell = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .filter((s) => s.trim() === s && !s.includes('\u0000'));
    fc.assert(
      fc.property(cell, cell, (reference, legalBasis) => {
        const csv = stringify([
          ['targets', 'category', 'explanation', 'good_faith', 'reference', 'legal_basis'],
          ['@prop_channel', 'hoax', explanation, 'true', reference, legalBasis],
        ]);
        const [record] = parseBulkFile(csv, 'csv');
        const candidate = (record as { candidate: Record<string, unknown> }).candidate;
        expect(candidate.reference).toBe(reference === '' ? undefined : reference);
        expect(candidate.legal_basis).toBe(legalBasis === '' ? undefined : legalBasis);
      }),
    );
  });
});

describe('JSONL bulk files', () => {
  it('take one notice per line, skipping blank lines, and fault a bad line alone', () => {
    const good = JSON.stringify({
      targets: ['@jsonl_channel'],
      category: 'hoax',
      explanation,
      good_faith: true,
    });
    const jsonl = [
      good,
      '',
      '{"targets": [',
      '[1, 2]',
      JSON.stringify({ ...JSON.parse(good), colour: 'red' }),
      '{"explanation": "\\u0000"}',
      '',
    ].join('\n');
    const rows = validated(jsonl, 'jsonl');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toHaveProperty('notice');
    expect(rows[1]).toMatchObject({
      problem: { reason: expect.stringMatching(/^the line is not valid JSON/) },
    });
    expect(rows[2]).toMatchObject({ problem: { reason: 'a line must hold one JSON object: a notice' } });
    expect(rows[3]).toMatchObject({
      problem: { reason: "colour: unknown field 'colour'", errors: [{ pointer: '/colour' }] },
    });
    expect(rows[4]).toMatchObject({ problem: { errors: [{ pointer: '/explanation' }] } });
  });

  it(`refuse more than ${MAX_BULK_ROWS} notices`, () => {
    const line = '{}\n';
    expect(parseBulkFile(line.repeat(MAX_BULK_ROWS), 'jsonl')).toHaveLength(MAX_BULK_ROWS);
    expect(refused(() => parseBulkFile(line.repeat(MAX_BULK_ROWS + 1), 'jsonl'))).toMatch(
      /more than 10,000 notices/,
    );
    expect(
      refused(() => parseBulkFile(header + '\n' + '@x,hoax,y,1\n'.repeat(MAX_BULK_ROWS + 1), 'csv')),
    ).toMatch(/more than 10,000/);
  });
});

describe('the bytes of a bulk file', () => {
  it('must be UTF-8 text with something in it', () => {
    expect(refused(() => decodeBulkFile(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).toMatch(/not valid UTF-8/);
    expect(refused(() => decodeBulkFile(Buffer.from('a\u0000b')))).toMatch(/NUL/);
    expect(refused(() => decodeBulkFile(Buffer.from(' \n\n')))).toMatch(/empty/);
    expect(decodeBulkFile(Buffer.from('\uFEFFtargets\n'))).toBe('targets\n');
  });
});
