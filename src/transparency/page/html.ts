import type { TransparencyReport } from '../report/report.ts';
import { type Language, words } from './labels.ts';

/**
 * The public transparency page: every table of the report as HTML, and the charts drawn by
 * ECharts from the report's figures. No inline script — the figures travel in a JSON data
 * block that ./charts.js reads — so the page works under `script-src 'self'`.
 */
const html = (value: unknown) =>
  String(value ?? '—')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

/** JSON inside a <script type="application/json"> block: "<" escaped so that no "</script>" can close it. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function renderReportPage(
  report: TransparencyReport,
  options: { lang: Language; assets: string; otherLanguageHref: string; countersHref?: string },
): string {
  const w = words[options.lang];
  const tables = report.tables
    .map((table) => {
      const columns = table.rows.length > 0 ? Object.keys(table.rows[0]!) : [];
      const body =
        table.rows.length === 0
          ? `<p class="empty">${html(w.no_rows)}</p>`
          : `<table><thead><tr>${columns.map((c) => `<th scope="col">${html(c)}</th>`).join('')}</tr></thead><tbody>${table.rows
              .map((row) => `<tr>${columns.map((c) => `<td>${html(row[c])}</td>`).join('')}</tr>`)
              .join('')}</tbody></table>`;
      return `<section id="${html(table.name)}"><h3>${html(table.title[options.lang])}</h3>${body}</section>`;
    })
    .join('\n');
  const charts = ['sources', 'categories', 'outcomes', 'timing', 'appeals']
    .map(
      (c) =>
        `<figure><figcaption>${html(w[`chart_${c}`])}</figcaption><div class="chart" id="chart-${c}"></div></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(w.title)} ${html(report.period.from)} – ${html(report.period.to)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${options.assets}/report.css">
</head>
<body>
<header>
<h1>${html(w.title)}</h1>
<p>${html(w.period)}: <strong>${html(report.period.from)} – ${html(report.period.to)}</strong> · ${html(w.generated)}: ${html(report.generated_at)}</p>
<nav><a href="${html(options.otherLanguageHref)}" hreflang="${options.lang === 'id' ? 'en' : 'id'}">${html(w.other_language)}</a>${
    options.countersHref ? ` · <a href="${html(options.countersHref)}">${html(w.counters)}</a>` : ''
  }</nav>
<p class="intro">${html(w.intro)}</p>
</header>
<main>
<h2>${html(w.charts)}</h2>
<div class="charts">
${charts}
</div>
<h2>${html(w.tables)}</h2>
${tables}
</main>
<script type="application/json" id="report-data">${jsonBlock({ lang: options.lang, words: w, report })}</script>
<script src="${options.assets}/echarts.min.js"></script>
<script src="${options.assets}/charts.js"></script>
</body>
</html>
`;
}
