import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readAsset } from '../page/assets.ts';
import { renderReportPage } from '../page/html.ts';
import { reportCsvFiles } from './csv.ts';
import { reportJson, type TransparencyReport } from './report.ts';

/**
 * The report written to a folder: report.json; one CSV file per table; or the public page
 * in both languages (index.html in Indonesian, en.html in English) with its assets beside
 * it, readable offline. Returns the files written.
 */
export const reportFormats = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function writeReport(report: TransparencyReport, format: ReportFormat, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: { name: string; content: string | Buffer }[] = [];
  if (format === 'json')
    files.push({ name: 'report.json', content: `${JSON.stringify(reportJson(report), null, 2)}\n` });
  if (format === 'csv') files.push(...reportCsvFiles(report));
  if (format === 'html') {
    files.push(
      {
        name: 'index.html',
        content: renderReportPage(report, { lang: 'id', assets: 'assets', otherLanguageHref: 'en.html' }),
      },
      {
        name: 'en.html',
        content: renderReportPage(report, { lang: 'en', assets: 'assets', otherLanguageHref: 'index.html' }),
      },
    );
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    for (const asset of ['echarts.min.js', 'charts.js', 'report.css'])
      files.push({ name: path.join('assets', asset), content: readAsset(asset)!.body });
  }
  for (const file of files) writeFileSync(path.join(dir, file.name), file.content);
  return files.map((f) => path.join(dir, f.name));
}
