import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, query, saveFile } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime } from '../ui/time.tsx';
import { Bars } from './Bars.tsx';

type Row = Record<string, string | number | boolean | null>;
interface Report {
  period: { from: string; to: string };
  generated_at: string;
  tables: Record<string, Row[]>;
}

const TABLES = [
  'notices_by_source',
  'notices_by_category',
  'notices_by_jurisdiction',
  'orders_by_authority',
  'actions_by_outcome_and_ground',
  'actions_by_automation',
  'timing',
  'deadlines',
  'clarifications_impossibilities_objections',
  'appeals',
  'suspensions',
  'automated_detection',
  'trusted_flaggers',
  'out_of_court_disputes',
] as const;

const hours = (s: unknown) => (typeof s === 'number' ? Math.round((s / 3600) * 100) / 100 : null);
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
const thisYear = new Date().getUTCFullYear();

/**
 * The transparency report (DSA Arts. 15 and 24, TCO Art. 7) for leads, admins and auditors:
 * a period (the calendar year by default), the charts, every table, and the downloads the
 * API gives (the whole report as JSON, any table as CSV). The public page is linked.
 */
export function TransparencyReport() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(`${thisYear}-01-01`);
  const [to, setTo] = useState(`${thisYear}-12-31`);
  const [period, setPeriod] = useState({ from, to });
  const [table, setTable] = useState<string>(TABLES[0]);
  const [error, setError] = useState<unknown>(null);
  const report = useQuery({
    queryKey: ['report', period],
    queryFn: () => get<Report>(`/v1/reports/transparency${query({ ...period, format: 'json' })}`),
    retry: false,
  });
  const download = async (format: 'json' | 'csv') => {
    setError(null);
    try {
      const q = query({ ...period, format, ...(format === 'csv' ? { table } : {}) });
      const name =
        format === 'json'
          ? `transparency-${period.from}-${period.to}.json`
          : `transparency-${period.from}-${period.to}-${table}.csv`;
      saveFile(name, await fetchBlob(`/v1/reports/transparency${q}`));
    } catch (err) {
      setError(err);
    }
  };
  const r = report.data;
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{t('report.title')}</h1>
      <form
        className="card filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod({ from, to });
        }}
      >
        <label>
          {t('report.year')}
          <select
            value={from.endsWith('-01-01') && to === `${from.slice(0, 4)}-12-31` ? from.slice(0, 4) : ''}
            onChange={(e) => {
              if (!e.target.value) return;
              const y = e.target.value;
              setFrom(`${y}-01-01`);
              setTo(`${y}-12-31`);
              setPeriod({ from: `${y}-01-01`, to: `${y}-12-31` });
            }}
          >
            <option value="">{t('report.custom')}</option>
            {[0, 1, 2, 3].map((d) => (
              <option key={d} value={String(thisYear - d)}>
                {thisYear - d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('report.from')}
          <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('report.to')}
          <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit">{t('report.show')}</button>
      </form>
      <p className="actions">
        <button type="button" onClick={() => void download('json')}>
          {t('report.downloadJson')}
        </button>
        <label>
          <span className="sr-only">{t('report.table')}</span>
          <select aria-label={t('report.table')} value={table} onChange={(e) => setTable(e.target.value)}>
            {TABLES.map((name) => (
              <option key={name} value={name}>
                {t(`report.tables.${name}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void download('csv')}>
          {t('report.downloadCsv')}
        </button>
        <a href={`/transparency${query({ lang: i18n.language, ...period })}`}>{t('report.publicPage')}</a>
      </p>
      <ProblemMessage error={error} />
      <QueryState query={report} empty="" isEmpty={false}>
        {r ? <ReportBody report={r} /> : null}
      </QueryState>
    </section>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { t } = useTranslation();
  const tab = (name: string) => report.tables[name] ?? [];
  const charts = useMemo(() => {
    const tab = (name: string) => report.tables[name] ?? [];
    const sources = tab('notices_by_source');
    const categories = tab('notices_by_category');
    const outcomes = tab('actions_by_outcome_and_ground');
    const outcomeNames = [...new Set(outcomes.map((o) => String(o.outcome)))];
    const timing = tab('timing');
    const appeals = tab('appeals');
    return {
      sources: {
        categories: sources.map((s) => t(`source.${s.source_type}`, { defaultValue: String(s.source_type) })),
        series: [{ name: t('report.notices'), data: sources.map((s) => num(s.notices)) }],
      },
      categories: {
        categories: categories.map((c) => String(c.category)),
        series: [{ name: t('report.notices'), data: categories.map((c) => num(c.notices)) }],
      },
      outcomes: {
        categories: outcomeNames.map((o) => t(`outcome.${o}`, { defaultValue: o })),
        series: ['legal', 'terms', 'none'].map((g) => ({
          name: t(`report.ground.${g}`),
          data: outcomeNames.map((o) =>
            num(outcomes.find((x) => x.outcome === o && x.ground === g)?.decisions ?? 0),
          ),
        })),
      },
      timing: {
        categories: timing.map((x) => String(x.measure)),
        series: [
          { name: t('report.median'), data: timing.map((x) => hours(x.median_seconds)) },
          { name: t('report.p90'), data: timing.map((x) => hours(x.p90_seconds)) },
        ],
      },
      appeals: {
        categories: appeals.map((a) => String(a.appellant_type)),
        series: (['lodged', 'decided', 'reversed'] as const).map((k) => ({
          name: t(`report.appeals.${k}`),
          data: appeals.map((a) => num(a[k])),
        })),
      },
    };
  }, [report, t]);
  return (
    <div data-testid="report">
      <p className="muted">
        {t('report.period', report.period)} · {t('report.generated')} <DateTime value={report.generated_at} />
      </p>
      <div className="charts">
        <figure>
          <figcaption>{t('report.tables.notices_by_source')}</figcaption>
          <Bars label={t('report.tables.notices_by_source')} {...charts.sources} />
        </figure>
        <figure>
          <figcaption>{t('report.tables.notices_by_category')}</figcaption>
          <Bars label={t('report.tables.notices_by_category')} {...charts.categories} />
        </figure>
        <figure>
          <figcaption>{t('report.tables.actions_by_outcome_and_ground')}</figcaption>
          <Bars label={t('report.tables.actions_by_outcome_and_ground')} stack {...charts.outcomes} />
        </figure>
        <figure>
          <figcaption>{t('report.timingHours')}</figcaption>
          <Bars label={t('report.timingHours')} integer={false} {...charts.timing} />
        </figure>
        <figure>
          <figcaption>{t('report.tables.appeals')}</figcaption>
          <Bars label={t('report.tables.appeals')} {...charts.appeals} />
        </figure>
      </div>
      {TABLES.map((name) => (
        <ReportTable key={name} name={name} rows={tab(name)} />
      ))}
    </div>
  );
}

function ReportTable({ name, rows }: { name: string; rows: Row[] }) {
  const { t } = useTranslation();
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  return (
    <section aria-labelledby={`t-${name}`} data-testid={`table-${name}`}>
      <h2 id={`t-${name}`}>{t(`report.tables.${name}`)}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('report.noRows')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  <code>{c}</code>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a report's rows have no id and never move
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{row[c] === null ? '—' : String(row[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
