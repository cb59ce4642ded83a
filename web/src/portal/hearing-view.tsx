import { useTranslation } from 'react-i18next';
import { DateTime } from '../ui/time.tsx';

/** A hearing before a trusted flagger's status is revoked or suspended (DSA Art. 22(7)). */
export interface Hearing {
  id: string;
  org: string;
  proposed: 'revoke' | 'suspend';
  proposed_until: string | null;
  grounds: string;
  opened_by: string;
  opened_at: string;
  due_at: string;
  status: 'open' | 'answered' | 'decided';
  answer: string | null;
  answered_at: string | null;
  decision: 'revoke' | 'suspend' | 'keep' | null;
  reasons: string | null;
  decided_at: string | null;
}

/** What was proposed and why, the organisation's answer and the decision, as far as they go. */
export function HearingSummary({ hearing: h }: { hearing: Hearing }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        <strong>{t(`hearings.proposed.${h.proposed}`)}</strong>
        {h.proposed_until ? (
          <>
            {' '}
            {t('hearings.until')} <DateTime value={h.proposed_until} />
          </>
        ) : null}{' '}
        · {t(`hearings.status.${h.status}`)} · {t('hearings.opened')} <DateTime value={h.opened_at} />
      </p>
      <blockquote className="free-text" data-testid="hearing-grounds">
        {h.grounds}
      </blockquote>
      {h.answer ? (
        <>
          <p>
            <strong>{t('hearings.answer')}</strong> (<DateTime value={h.answered_at} />)
          </p>
          <blockquote className="free-text" data-testid="hearing-answer">
            {h.answer}
          </blockquote>
        </>
      ) : null}
      {h.decision ? (
        <p data-testid="hearing-decision">
          {t('hearings.decided')}: <strong>{t(`hearings.decision.${h.decision}`)}</strong> (
          <DateTime value={h.decided_at} />) <span className="free-text">{h.reasons}</span>
        </p>
      ) : null}
    </>
  );
}
