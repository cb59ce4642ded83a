import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

interface Reviewer {
  reviewer_id: string;
  display_name: string;
  languages: string[];
  cases_held: number;
  appeals_held: number;
  decisions_today: number;
  decisions_this_week: number;
  appeals_decided_today: number;
  reveals_today: number;
  exposure_limit: number;
  last_activity_at?: string | null;
}

/** Each reviewer's load now, today and this week, and exposure against the day's limit. */
export function Workload() {
  const { t } = useTranslation();
  const load = useQuery({
    queryKey: ['workload'],
    queryFn: () => get<{ day: string; reviewers: Reviewer[] }>('/v1/reviewers/workload'),
    refetchInterval: 30_000,
  });
  return (
    <section aria-labelledby="workload-title">
      <h1 id="workload-title">{t('workload.title')}</h1>
      <ProblemMessage error={load.error} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('workload.reviewer')}</th>
            <th scope="col">{t('workload.held')}</th>
            <th scope="col">{t('workload.today')}</th>
            <th scope="col">{t('workload.week')}</th>
            <th scope="col">{t('workload.exposure')}</th>
            <th scope="col">{t('workload.last')}</th>
          </tr>
        </thead>
        <tbody>
          {load.data?.reviewers.map((r) => (
            <tr key={r.reviewer_id}>
              <td>
                {r.display_name} <span className="muted">{r.languages.join(', ')}</span>
              </td>
              <td>
                {r.cases_held} / {r.appeals_held}
              </td>
              <td>
                {r.decisions_today} / {r.appeals_decided_today}
              </td>
              <td>{r.decisions_this_week}</td>
              <td className={r.reveals_today >= r.exposure_limit ? 'error-text' : ''}>
                {r.reveals_today} / {r.exposure_limit}
              </td>
              <td>
                <DateTime value={r.last_activity_at ?? null} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
