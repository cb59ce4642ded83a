import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { Link } from '../router.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

interface Action {
  id: string;
  case_id: string;
  connector: string;
  type: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}

/** Enforcement actions that failed, with their error, to retry once the cause is fixed. */
export function FailedActions() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const actions = useQuery({
    queryKey: ['failed-actions'],
    queryFn: async () => (await get<{ items: Action[] }>('/v1/actions?status=failed')).items,
    refetchInterval: 30_000,
  });
  const retry = async (id: string) => {
    setError(null);
    try {
      await post(`/v1/actions/${id}/retry`);
      await client.invalidateQueries({ queryKey: ['failed-actions'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="actions-title">
      <h1 id="actions-title">{t('actions.title')}</h1>
      <ProblemMessage error={actions.error ?? error} />
      {actions.data?.length === 0 ? <p>{t('actions.none')}</p> : null}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('actions.action')}</th>
            <th scope="col">{t('actions.error')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {actions.data?.map((a) => (
            <tr key={a.id}>
              <td>
                <DateTime value={a.created_at} />
              </td>
              <td>
                {a.type} · {a.connector} ·{' '}
                <Link to={`/desk/cases/${a.case_id}`}>{t('appeals.openCase')}</Link>
              </td>
              <td className="free-text">
                {a.last_error ?? '—'} ({a.attempts})
              </td>
              <td>
                <button type="button" onClick={() => void retry(a.id)}>
                  {t('actions.retry')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
