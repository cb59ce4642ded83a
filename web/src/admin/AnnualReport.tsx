import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, saveFile } from '../api.ts';
import { useCategoryLabel } from '../portal/taxonomy.ts';
import { Bars } from '../reports/Bars.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';

interface Annual {
  year: number;
  notices: number;
  by_category: { category: string; notices: number }[];
  by_action: { action: string; notices: number }[];
}

const lastYear = new Date().getUTCFullYear() - 1;

/** A trusted flagger's annual report (DSA Art. 22(3)): its notices by category and by action taken. */
export function AnnualReport({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const [year, setYear] = useState(lastYear);
  const [error, setError] = useState<unknown>(null);
  const report = useQuery({
    queryKey: ['annual', slug, year],
    queryFn: () => get<Annual>(`/v1/flaggers/${slug}/annual-report?year=${year}`),
  });
  const download = async () => {
    setError(null);
    try {
      saveFile(
        `${slug}-annual-${year}.json`,
        await fetchBlob(`/v1/flaggers/${slug}/annual-report?year=${year}`),
      );
    } catch (err) {
      setError(err);
    }
  };
  const r = report.data;
  return (
    <section aria-labelledby={`annual-${slug}`} data-testid="annual-report">
      <h3 id={`annual-${slug}`}>{t('annual.title')}</h3>
      <p className="actions">
        <label>
          {t('report.year')}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[0, 1, 2, 3].map((d) => (
              <option key={d} value={lastYear + 1 - d}>
                {lastYear + 1 - d}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void download()}>
          {t('report.downloadJson')}
        </button>
      </p>
      <ProblemMessage error={error} />
      <QueryState query={report} empty={t('annual.none')} isEmpty={r?.notices === 0}>
        {r ? (
          <>
            <p>{t('annual.notices', { n: r.notices })}</p>
            <div className="charts">
              <Bars
                label={t('annual.byCategory')}
                categories={r.by_category.map((c) => label(c.category))}
                series={[{ name: t('report.notices'), data: r.by_category.map((c) => c.notices) }]}
              />
              <Bars
                label={t('annual.byAction')}
                categories={r.by_action.map((a) => t(`outcome.${a.action}`, { defaultValue: a.action }))}
                series={[{ name: t('report.notices'), data: r.by_action.map((a) => a.notices) }]}
              />
            </div>
          </>
        ) : null}
      </QueryState>
    </section>
  );
}
