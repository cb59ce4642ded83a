import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { can, isFlagger, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime, Deadline, useNow } from '../ui/time.tsx';

type Step = 'first_warning' | 'second_warning' | 'access_blocking_recommendation';

interface Ladder {
  applies: boolean;
  steps: {
    id: string;
    step: Step;
    position: number;
    legal_basis: string;
    letter_reference: string | null;
    fine: { amount: number; currency: string } | null;
    reasons: string;
    issued_at: string;
    answered_at: string | null;
    deadline: { due_at: string; state: string };
  }[];
  next_step: Step | null;
  next_step_from: string | null;
}

/**
 * SAMAN's escalation ladder of an order not carried out in time: first warning, second
 * warning with a fine, access-blocking recommendation. Both sides read it; the issuing
 * authority issues the next step once the breach it answers has happened; the platform
 * answers each step (the answer goes to the notice's thread too).
 */
export function EscalationLadder({
  noticeId,
  jurisdiction,
  me,
}: {
  noticeId: string;
  jurisdiction: string;
  me: Me;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const ladder = useQuery({
    queryKey: ['escalation', noticeId],
    queryFn: () => get<Ladder>(`/v1/notices/${noticeId}/escalation`),
    refetchInterval: 30_000,
  });
  const l = ladder.data;
  if (ladder.error) return <ProblemMessage error={ladder.error} />;
  if (!l?.applies) return null;
  const issuer = isFlagger(me) && can(me, 'notices:submit');
  const due = l.next_step && l.next_step_from && new Date(l.next_step_from).getTime() <= now;
  return (
    <section aria-labelledby={`ladder-${noticeId}`}>
      <h2 id={`ladder-${noticeId}`}>{t('ladder.title')}</h2>
      {l.steps.length === 0 ? <p className="muted">{t('ladder.none')}</p> : null}
      <ol className="ladder">
        {l.steps.map((s) => (
          <li key={s.id} className="card" data-testid="ladder-step">
            <p>
              <strong>{t(`ladder.step.${s.step}`)}</strong> · {t('ladder.issued')}{' '}
              <DateTime value={s.issued_at} />
              {s.letter_reference ? ` · ${s.letter_reference}` : ''}
            </p>
            <p className="muted">{s.legal_basis}</p>
            {s.fine ? (
              <p>
                {t('ladder.fine')}:{' '}
                {new Intl.NumberFormat(undefined, { style: 'currency', currency: s.fine.currency }).format(
                  s.fine.amount,
                )}
              </p>
            ) : null}
            <blockquote className="free-text">{s.reasons}</blockquote>
            {s.answered_at ? (
              <p data-testid="ladder-answered">
                {t('ladder.answered')} <DateTime value={s.answered_at} />
              </p>
            ) : (
              <p>
                {t('ladder.answerDue')}:{' '}
                <Deadline at={s.deadline.due_at} jurisdiction={jurisdiction} now={now} />
              </p>
            )}
            {!s.answered_at && !isFlagger(me) && can(me, 'cases:work') ? (
              <AnswerStep noticeId={noticeId} stepId={s.id} />
            ) : null}
          </li>
        ))}
      </ol>
      {issuer && l.next_step && !due ? (
        <p className="muted">
          {t('ladder.nextFrom', { step: t(`ladder.step.${l.next_step}`) })}{' '}
          <DateTime value={l.next_step_from} />
        </p>
      ) : null}
      {/* Shown early too: the server's clock, the SOP's, says whether the breach has happened, and refuses with why. */}
      {issuer && l.next_step ? <IssueStep noticeId={noticeId} step={l.next_step} /> : null}
    </section>
  );
}

function IssueStep({ noticeId, step }: { noticeId: string; step: Step }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reasons, setReasons] = useState('');
  const [letter, setLetter] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('IDR');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/notices/${noticeId}/escalation`, {
        step,
        reasons,
        ...(letter ? { letter_reference: letter } : {}),
        ...(step === 'second_warning' ? { fine: { amount: Number(amount), currency } } : {}),
      });
      setReasons('');
      setLetter('');
      await client.invalidateQueries({ queryKey: ['escalation', noticeId] });
      await client.invalidateQueries({ queryKey: ['thread', noticeId] });
    } catch (err) {
      setError(err);
    }
  };
  const title = t('ladder.issue', { step: t(`ladder.step.${step}`) });
  return (
    <form className="card" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      <label>
        {t('ladder.reasons')}
        <textarea
          required
          rows={3}
          maxLength={20_000}
          value={reasons}
          onChange={(e) => setReasons(e.target.value)}
        />
      </label>
      <label>
        {t('ladder.letter')}
        <input maxLength={200} value={letter} onChange={(e) => setLetter(e.target.value)} />
      </label>
      {step === 'second_warning' ? (
        <div className="two">
          <label>
            {t('ladder.fineAmount')}
            <input
              type="number"
              min="1"
              step="any"
              required
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          </label>
          <label>
            {t('ladder.currency')}
            <input
              required
              pattern="[A-Z]{3}"
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            />
          </label>
        </div>
      ) : null}
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        {title}
      </button>
    </form>
  );
}

function AnswerStep({ noticeId, stepId }: { noticeId: string; stepId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/notices/${noticeId}/escalation/${stepId}/answer`, { body });
      await client.invalidateQueries({ queryKey: ['escalation', noticeId] });
      await client.invalidateQueries({ queryKey: ['thread', noticeId] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} aria-label={t('ladder.answer')}>
      <label>
        {t('ladder.answerBody')}
        <textarea
          required
          rows={2}
          maxLength={20_000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit">{t('ladder.answer')}</button>
    </form>
  );
}
