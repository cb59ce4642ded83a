import { stringify } from 'csv-stringify/sync';
import type { TransparencyReport } from './report.ts';

/** One CSV file per table, named after it; the header row holds the column names. */
export function reportCsvFiles(report: TransparencyReport): { name: string; content: string }[] {
  return report.tables.map((table) => {
    const columns = table.rows.length > 0 ? Object.keys(table.rows[0]!) : [];
    return {
      name: `${table.name}.csv`,
      content: stringify(table.rows, { header: true, columns: columns.length > 0 ? columns : ['(no rows)'] }),
    };
  });
}
