import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useCategoryLabel } from '../portal/taxonomy.ts';
import { Link } from '../router.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime } from '../ui/time.tsx';

interface PriorCase {
  case_id: string;
  relation: 'same_subject' | 'same_chat';
  subject_key: string;
  subject_url: string | null;
  status: string;
  category: string;
  outcome: string | null;
  opened_at: string;
  decided_at: string | null;
}

/** Cases on the same target or the same chat before this one, with what was decided. */
export function PriorCases({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const prior = useQuery({
    queryKey: ['prior', caseId],
    queryFn: async () => (await get<{ items: PriorCase[] }>(`/v1/cases/${caseId}/prior`)).items,
  });
  return (
    <section aria-labelledby="prior-title" data-testid="prior-cases">
      <h2 id="prior-title">{t('prior.title')}</h2>
      <QueryState query={prior} empty={t('prior.none')} isEmpty={prior.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('prior.subject')}</th>
              <th scope="col">{t('prior.relation')}</th>
              <th scope="col">{t('notice.category')}</th>
              <th scope="col">{t('notice.outcome')}</th>
              <th scope="col">{t('prior.opened')}</th>
            </tr>
          </thead>
          <tbody>
            {prior.data?.map((p) => (
              <tr key={p.case_id} data-testid="prior-case">
                <td>
                  <Link to={`/desk/cases/${p.case_id}`}>
                    <code>{p.subject_key}</code>
                  </Link>
                </td>
                <td>{t(`prior.${p.relation}`)}</td>
                <td>{label(p.category)}</td>
                <td>
                  {p.outcome
                    ? t(`outcome.${p.outcome}`, { defaultValue: p.outcome })
                    : t(`caseStatus.${p.status}`, { defaultValue: p.status })}{' '}
                  <DateTime value={p.decided_at} />
                </td>
                <td>
                  <DateTime value={p.opened_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}
