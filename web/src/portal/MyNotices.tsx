import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { Link } from '../router.tsx';
import { DateTime, Deadline, useNow } from '../ui/time.tsx';
import { useCategoryLabel } from './taxonomy.ts';

export interface NoticeSummary {
  id: string;
  org: string;
  category: string;
  jurisdiction: string;
  reference: string | null;
  status: string;
  received_at: string;
  deadline: string;
  paused_since: string | null;
}

/** "My notices": the organisation's notices, newest first, each with its live deadline. */
export function MyNotices() {
  const { t } = useTranslation();
  const now = useNow();
  const label = useCategoryLabel();
  const notices = useQuery({
    queryKey: ['notices'],
    queryFn: async () => (await get<{ items: NoticeSummary[] }>('/v1/notices?limit=200')).items,
    refetchInterval: 15_000,
  });
  return (
    <section>
      <div className="title-row">
        <h1>{t('nav.myNotices')}</h1>
        <Link to="/portal/new" className="button primary">
          {t('nav.newNotice')}
        </Link>
      </div>
      {notices.data?.length === 0 ? <p>{t('notices.none')}</p> : null}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('notices.received')}</th>
            <th scope="col">{t('notice.reference')}</th>
            <th scope="col">{t('notice.category')}</th>
            <th scope="col">{t('notices.status')}</th>
            <th scope="col">{t('notices.deadline')}</th>
          </tr>
        </thead>
        <tbody>
          {notices.data?.map((n) => (
            <tr key={n.id}>
              <td>
                <Link to={`/portal/notices/${n.id}`}>
                  <DateTime value={n.received_at} />
                </Link>
              </td>
              <td>{n.reference ?? '—'}</td>
              <td>{label(n.category)}</td>
              <td>
                <span className={`status s-${n.status}`}>
                  {t(`status.${n.status}`, { defaultValue: n.status })}
                </span>
              </td>
              <td>
                {n.paused_since ? (
                  <span>{t('notices.paused')}</span>
                ) : n.status === 'closed' ? (
                  '—'
                ) : (
                  <Deadline at={n.deadline} jurisdiction={n.jurisdiction} now={now} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
