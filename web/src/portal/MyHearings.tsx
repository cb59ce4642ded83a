import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { Countdown, useNow } from '../ui/time.tsx';
import { type Hearing, HearingSummary } from './hearing-view.tsx';

/**
 * The organisation's hearings (DSA Art. 22(7)): before the platform revokes or suspends its
 * trusted status, it is told why and may answer before the deadline. Newest first.
 */
export function MyHearings() {
  const { t } = useTranslation();
  const hearings = useQuery({
    queryKey: ['hearings'],
    queryFn: async () => (await get<{ items: Hearing[] }>('/v1/hearings')).items,
  });
  return (
    <section aria-labelledby="hearings-title">
      <h1 id="hearings-title">{t('hearings.title')}</h1>
      <p className="muted">{t('hearings.intro')}</p>
      <ProblemMessage error={hearings.error} />
      {hearings.data?.length === 0 ? <p>{t('hearings.none')}</p> : null}
      <ul className="appeals">
        {hearings.data?.map((h) => (
          <li key={h.id} className="card" data-testid="hearing">
            <HearingSummary hearing={h} />
            {h.status === 'open' ? <AnswerForm hearing={h} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AnswerForm({ hearing }: { hearing: Hearing }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSending(true);
    try {
      await post(`/v1/hearings/${hearing.id}/answer`, { answer });
      await client.invalidateQueries({ queryKey: ['hearings'] });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <form onSubmit={send}>
      <p>
        {t('hearings.answerBy')} <Countdown until={hearing.due_at} now={now} />
      </p>
      <label>
        {t('hearings.yourAnswer')}
        <textarea
          required
          rows={4}
          maxLength={20_000}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={sending}>
        {t('hearings.send')}
      </button>
    </form>
  );
}
