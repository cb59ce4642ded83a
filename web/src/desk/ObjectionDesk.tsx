import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { Link } from '../router.tsx';
import { RadioChoice } from '../ui/choice.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime, Deadline, useNow } from '../ui/time.tsx';

interface Objection {
  id: string;
  notice_id: string;
  grounds: string;
  case_ids: string[];
  jurisdiction: string;
  language: string;
  status: 'open' | 'answered';
  created_at: string;
  due_at: string | null;
  deadline: { state: string } | null;
  may_answer: boolean;
}

const outcomes = ['maintained', 'reopened'] as const;

/**
 * SAMAN "sanggah": a notifier objects to a decision, and a reviewer who did not make it
 * answers with reasons before the SOP policy's time runs out. Due first; the server leaves
 * out objections to decisions this reviewer made or approved, and those outside their routing.
 */
export function ObjectionDesk() {
  const { t } = useTranslation();
  const now = useNow();
  const objections = useQuery({
    queryKey: ['objections'],
    queryFn: async () => (await get<{ items: Objection[] }>('/v1/objections?limit=200')).items,
    refetchInterval: 15_000,
  });
  // An answered objection leaves the queue; what was answered stays said here.
  const [answered, setAnswered] = useState<string | null>(null);
  return (
    <section aria-labelledby="objections-title">
      <h1 id="objections-title">{t('objections.title')}</h1>
      <p className="muted">{t('objections.intro')}</p>
      <p role="status" data-testid="objection-done">
        {answered ? t('objections.answered', { outcome: t(`objectionOutcome.${answered}`) }) : null}
      </p>
      <ProblemMessage error={objections.error} />
      {objections.data?.length === 0 ? <p>{t('objections.none')}</p> : null}
      <ul className="appeals">
        {objections.data?.map((o) => (
          <li key={o.id} className="card" data-testid="objection">
            <p>
              {o.jurisdiction} · {o.language} · {t('objections.lodged')} <DateTime value={o.created_at} />
            </p>
            <p>
              {t('objections.due')}: <Deadline at={o.due_at} jurisdiction={o.jurisdiction} now={now} />
              {o.deadline?.state === 'at_risk' || o.deadline?.state === 'breached' ? (
                <span className={`mark ${o.deadline.state === 'breached' ? 'sev-5' : 'sev-4'}`}>
                  {t(`objections.state.${o.deadline.state}`)}
                </span>
              ) : null}
            </p>
            <p>
              {o.case_ids.map((id, i) => (
                <span key={id}>
                  {i > 0 ? ' · ' : null}
                  <Link to={`/desk/cases/${id}`}>
                    {t('objections.openCase')}
                    {o.case_ids.length > 1 ? ` ${i + 1}` : ''}
                  </Link>
                </span>
              ))}
            </p>
            <blockquote className="free-text" data-testid="objection-grounds">
              {o.grounds}
            </blockquote>
            <ObjectionAnswer objection={o} onAnswered={setAnswered} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ObjectionAnswer({
  objection,
  onAnswered,
}: {
  objection: Objection;
  onAnswered: (outcome: string) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [outcome, setOutcome] = useState<(typeof outcomes)[number]>('maintained');
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  if (!objection.may_answer) return <p className="muted">{t('objections.mayNot')}</p>;
  const answer = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSending(true);
    try {
      await post(`/v1/objections/${objection.id}/answer`, { outcome, reasons });
      onAnswered(outcome);
      await client.invalidateQueries({ queryKey: ['objections'] });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <form onSubmit={answer}>
      <RadioChoice
        legend={t('objections.outcome')}
        name={`objection-${objection.id}`}
        options={outcomes}
        value={outcome}
        onChange={setOutcome}
        label={(o) => t(`objectionOutcome.${o}`)}
      />
      <label>
        {t('objections.reasons')}
        <textarea required rows={3} value={reasons} onChange={(e) => setReasons(e.target.value)} />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={sending}>
        {t('objections.answer')}
      </button>
    </form>
  );
}
