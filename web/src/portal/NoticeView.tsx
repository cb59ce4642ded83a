import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import type { Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime, Deadline, useNow } from '../ui/time.tsx';
import { EscalationLadder } from './EscalationLadder.tsx';
import { Thread } from './Thread.tsx';
import { useCategoryLabel } from './taxonomy.ts';

export interface NoticeDetail {
  id: string;
  org: string;
  category: string;
  jurisdiction: string;
  reference: string | null;
  explanation: string;
  legal_basis: string | null;
  status: string;
  received_at: string;
  deadline: string;
  target_deadline: string;
  clock: { state: string; paused: boolean };
  targets: {
    index: number;
    raw: string;
    subject: { key?: string } | null;
    case_id: string | null;
    case_status: string | null;
    outcome: string | null;
    outcome_at: string | null;
  }[];
  evidence: { id: string; filename: string; content_type: string; size: number }[];
}

/** One notice as its notifier follows it: status, live deadline, outcome per target, thread. */
export function NoticeView({ id, me }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const now = useNow();
  const label = useCategoryLabel();
  const notice = useQuery({
    queryKey: ['notice', id],
    queryFn: () => get<NoticeDetail>(`/v1/notices/${id}`),
    refetchInterval: 10_000,
  });
  if (notice.error) return <ProblemMessage error={notice.error} />;
  const n = notice.data;
  if (!n) return <p className="loading">{t('common.loading')}</p>;
  const open = !['closed', 'actioned', 'decided'].includes(n.status);
  return (
    <section>
      <h1>
        {t('notice.title')} {n.reference ? <span className="muted">{n.reference}</span> : null}
      </h1>
      <dl className="facts">
        <dt>{t('notices.status')}</dt>
        <dd>
          <span className={`status s-${n.status}`} data-testid="notice-status">
            {t(`status.${n.status}`, { defaultValue: n.status })}
          </span>
        </dd>
        <dt>{t('notice.category')}</dt>
        <dd>{label(n.category)}</dd>
        <dt>{t('notices.received')}</dt>
        <dd>
          <DateTime value={n.received_at} />
        </dd>
        <dt>{t('notices.deadline')}</dt>
        <dd>
          {n.clock.paused ? (
            t('notices.paused')
          ) : open ? (
            <Deadline at={n.deadline} jurisdiction={n.jurisdiction} now={now} />
          ) : (
            <DateTime value={n.deadline} />
          )}
        </dd>
        <dt>{t('notice.explanation')}</dt>
        <dd className="free-text" data-testid="notice-explanation">
          {n.explanation}
        </dd>
        {n.legal_basis ? (
          <>
            <dt>{t('notice.legalBasis')}</dt>
            <dd className="free-text">{n.legal_basis}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t('notice.targets')}</h2>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('case.target')}</th>
            <th scope="col">{t('case.subject')}</th>
            <th scope="col">{t('notice.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {n.targets.map((x) => (
            <tr key={x.index}>
              <td>
                <code>{x.raw}</code>
              </td>
              <td>
                <code>{x.subject?.key ?? '—'}</code>
              </td>
              <td data-testid="target-outcome">
                {x.outcome ? (
                  <>
                    <strong>{t(`outcome.${x.outcome}`, { defaultValue: x.outcome })}</strong>{' '}
                    <DateTime value={x.outcome_at} />
                  </>
                ) : (
                  t(`caseStatus.${x.case_status ?? 'open'}`, { defaultValue: x.case_status ?? '—' })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {n.evidence.length ? (
        <>
          <h2>{t('notice.evidence')}</h2>
          <ul>
            {n.evidence.map((e) => (
              <li key={e.id} data-testid="evidence-name">
                {e.filename}{' '}
                <span className="muted">
                  ({e.content_type}, {e.size} B)
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <EscalationLadder noticeId={n.id} jurisdiction={n.jurisdiction} me={me} />
      <Thread notice={n} me={me} />
    </section>
  );
}
