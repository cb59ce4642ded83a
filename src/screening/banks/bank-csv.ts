import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { EntryInput } from './bank-store.ts';

/**
 * Bank files in the form hash-sharing programmes exchange: one signal per row,
 * `signal_type,signal` first, then metadata columns. Known metadata columns (quality,
 * source, case_id, note) fill the entry's provenance; any other column is kept as
 * metadata. A header row is expected; a file whose first row is a signal is read as
 * headerless `signal_type,signal`.
 */
export const KNOWN_COLUMNS = ['signal_type', 'signal', 'quality', 'source', 'case_id', 'note'] as const;

export interface ParsedBankFile {
  entries: { row: number; entry: EntryInput }[];
  errors: { row: number; reason: string }[];
}

export function parseBankCsv(text: string): ParsedBankFile {
  const records = parse(text, {
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    bom: true,
  }) as string[][];
  if (records.length === 0) return { entries: [], errors: [] };
  const first = records[0]!.map((c) => c.toLowerCase());
  const hasHeader = first.includes('signal_type') || first.includes('signal');
  const header = hasHeader ? first : ['signal_type', 'signal'];
  const body = hasHeader ? records.slice(1) : records;
  const col = (name: string) => header.indexOf(name);
  const result: ParsedBankFile = { entries: [], errors: [] };
  if (col('signal_type') < 0 || col('signal') < 0) {
    result.errors.push({ row: 1, reason: 'the header needs signal_type and signal columns' });
    return result;
  }
  body.forEach((cells, i) => {
    const row = i + (hasHeader ? 2 : 1);
    const get = (name: string) => {
      const at = col(name);
      const value = at >= 0 ? cells[at] : undefined;
      return value === undefined || value === '' ? undefined : value;
    };
    const type = get('signal_type');
    const signal = get('signal');
    if (!type || !signal) {
      result.errors.push({ row, reason: 'signal_type and signal are required' });
      return;
    }
    const qualityText = get('quality');
    const quality = qualityText === undefined ? undefined : Number(qualityText);
    if (quality !== undefined && !Number.isInteger(quality)) {
      result.errors.push({ row, reason: `quality '${qualityText}' is not a whole number` });
      return;
    }
    const caseId = get('case_id');
    if (caseId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) {
      result.errors.push({ row, reason: `case_id '${caseId}' is not a case id` });
      return;
    }
    const metadata: Record<string, string> = {};
    header.forEach((name, at) => {
      if (!(KNOWN_COLUMNS as readonly string[]).includes(name) && cells[at]) metadata[name] = cells[at]!;
    });
    result.entries.push({
      row,
      entry: {
        signal_type: type.toLowerCase(),
        value: signal,
        quality,
        source: get('source'),
        case_id: caseId,
        note: get('note'),
        metadata,
      },
    });
  });
  return result;
}

export function bankCsv(
  rows: {
    signal_type: string;
    value: string;
    quality: number | null;
    source: string;
    added_by: string;
    added_at: Date;
    case_id: string | null;
    note: string | null;
  }[],
  withHeader = true,
): string {
  return stringify(
    rows.map((r) => [
      r.signal_type,
      r.value,
      r.quality ?? '',
      r.source,
      r.added_by,
      r.added_at.toISOString(),
      r.case_id ?? '',
      r.note ?? '',
    ]),
    {
      ...(withHeader
        ? {
            header: true,
            columns: [
              'signal_type',
              'signal',
              'quality',
              'source',
              'added_by',
              'added_at',
              'case_id',
              'note',
            ],
          }
        : {}),
      // A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
      // injection), as in the evidence pack. Signals never start so: hashes are hex, URLs
      // and domains letters; a text signal that does is read back with the apostrophe.
      cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
    },
  );
}
