import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

interface StatementAnswer {
  statement: Record<string, unknown>;
  issued_at: string;
  appeal_until: string;
  appeal: {
    id: string;
    status: string;
    outcome: string | null;
    reasons: string | null;
    created_at: string;
    decided_at: string | null;
  } | null;
}

/** The statement's fields shown, in the order a person reads them (DSA Art. 17(3)). */
const FIELDS = [
  'decision_visibility',
  'decision_account',
  'decision_ground',
  'illegal_content_legal_ground',
  'illegal_content_explanation',
  'incompatible_content_ground',
  'incompatible_content_explanation',
  'decision_facts',
  'territorial_scope',
  'source_type',
  'automated_detection',
  'automated_decision',
  'application_date',
  'end_date_visibility_restriction',
  'end_date_account_restriction',
] as const;

const show = (v: unknown): string =>
  v === null || v === undefined
    ? '—'
    : Array.isArray(v)
      ? v.join(', ')
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/**
 * The affected user's page: no login, the unguessable token in the link is the credential.
 * The statement of reasons, the appeal form (free, within six months, DSA Art. 20) and then
 * the appeal's outcome and reasons.
 */
export function Statement({ token }: { token: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const answer = useQuery({
    queryKey: ['statement', token],
    queryFn: () => get<StatementAnswer>(`/v1/statements/${encodeURIComponent(token)}`),
    refetchInterval: 20_000,
  });
  const [grounds, setGrounds] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);

  if (answer.error) return <ProblemMessage error={answer.error} />;
  const a = answer.data;
  if (!a) return <p className="loading">{t('common.loading')}</p>;
  const s = a.statement;
  const canAppeal = !a.appeal && new Date(a.appeal_until).getTime() > Date.now();

  const appeal = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/statements/${encodeURIComponent(token)}/appeal`, {
        grounds,
        ...(email.trim() ? { contact: { email } } : {}),
      });
      await client.invalidateQueries({ queryKey: ['statement', token] });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="statement-title">
      <h1 id="statement-title">{t('statement.title')}</h1>
      <p>
        {t('statement.issued')} <DateTime value={a.issued_at} />
      </p>
      <dl className="facts" data-testid="statement">
        {FIELDS.filter((f) => s[f] !== null && s[f] !== undefined).map((f) => (
          <div key={f} className="fact">
            <dt>{t(`statement.f.${f}`)}</dt>
            <dd className="free-text">{show(s[f])}</dd>
          </div>
        ))}
      </dl>
      <h2>{t('statement.appeal')}</h2>
      {a.appeal ? (
        <div className="card" data-testid="appeal-status">
          <p>
            {t('statement.appealReceived')} <DateTime value={a.appeal.created_at} /> ·{' '}
            <strong>{t(`appealStatus.${a.appeal.status}`, { defaultValue: a.appeal.status })}</strong>
          </p>
          {a.appeal.outcome ? (
            <p>
              {t('statement.outcome')}: <strong>{t(`appealOutcome.${a.appeal.outcome}`)}</strong> ·{' '}
              <DateTime value={a.appeal.decided_at} />
            </p>
          ) : null}
          {a.appeal.reasons ? <p className="free-text">{a.appeal.reasons}</p> : null}
        </div>
      ) : canAppeal ? (
        <form className="card" onSubmit={appeal}>
          <p>
            {t('statement.appealUntil')} <DateTime value={a.appeal_until} />
          </p>
          <label>
            {t('statement.grounds')}
            <textarea required rows={4} value={grounds} onChange={(e) => setGrounds(e.target.value)} />
          </label>
          <label>
            {t('statement.email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <ProblemMessage error={error} />
          <button type="submit" className="primary">
            {t('statement.send')}
          </button>
        </form>
      ) : (
        <p>{t('statement.closed')}</p>
      )}
      <p className="muted">{t('statement.otherRedress')}</p>
    </section>
  );
}
