import { describe, expect, it } from 'vitest';
import { bankCsv, parseBankCsv } from './bank-csv.ts';

describe('bank files', () => {
  it('read signal_type,signal with provenance and extra metadata', () => {
    const parsed = parseBankCsv(
      'signal_type,signal,quality,source,note,campaign\npdq,' +
        'a'.repeat(64) +
        ',90,gifct,synthetic,op-1\nmd5,' +
        'b'.repeat(32) +
        ',,,,\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toEqual([
      {
        row: 2,
        entry: {
          signal_type: 'pdq',
          value: 'a'.repeat(64),
          quality: 90,
          source: 'gifct',
          case_id: undefined,
          note: 'synthetic',
          metadata: { campaign: 'op-1' },
        },
      },
      {
        row: 3,
        entry: {
          signal_type: 'md5',
          value: 'b'.repeat(32),
          quality: undefined,
          source: undefined,
          case_id: undefined,
          note: undefined,
          metadata: {},
        },
      },
    ]);
  });

  it('read a headerless two-column file', () => {
    const parsed = parseBankCsv(`pdq,${'c'.repeat(64)}\nurl,https://t.me/somechannel\n`);
    expect(parsed.entries.map((e) => [e.row, e.entry.signal_type])).toEqual([
      [1, 'pdq'],
      [2, 'url'],
    ]);
  });

  it('say which rows are wrong and why', () => {
    const parsed = parseBankCsv(
      'signal_type,signal,quality,case_id\npdq,,1,\nmd5,abc,high,\nmd5,abc,,not-a-case\n',
    );
    expect(parsed.errors).toEqual([
      { row: 2, reason: 'signal_type and signal are required' },
      { row: 3, reason: "quality 'high' is not a whole number" },
      { row: 4, reason: "case_id 'not-a-case' is not a case id" },
    ]);
  });

  it('write what it reads', () => {
    const text = bankCsv([
      {
        signal_type: 'pdq',
        value: 'd'.repeat(64),
        quality: 80,
        source: 'ours',
        added_by: 'u1',
        added_at: new Date('2026-11-28T00:00:00Z'),
        case_id: null,
        note: 'n',
      },
    ]);
    const parsed = parseBankCsv(text);
    expect(parsed.entries[0]!.entry).toMatchObject({
      signal_type: 'pdq',
      value: 'd'.repeat(64),
      quality: 80,
      source: 'ours',
      note: 'n',
      metadata: { added_by: 'u1', added_at: '2026-11-28T00:00:00.000Z' },
    });
  });
});
