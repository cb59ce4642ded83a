import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { useCategoryLabel } from '../portal/taxonomy.ts';
import { Link } from '../router.tsx';
import { RadioChoice } from '../ui/choice.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { Countdown, DateTime, useNow } from '../ui/time.tsx';

interface Appeal {
  id: string;
  case_id: string;
  appellant_type: string;
  grounds: string;
  status: string;
  lease_until: string | null;
  created_at: string;
  decision_outcome: string;
  subject_key: string;
  category: string;
  jurisdiction: string;
  may_decide: boolean;
  held_by_me: boolean;
}

/** DSA Art. 20: appeals oldest first; a reviewer who made or approved the decision never sees it. */
export function AppealDesk() {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const appeals = useQuery({
    queryKey: ['appeals'],
    queryFn: async () => (await get<{ items: Appeal[] }>('/v1/appeals?limit=200')).items,
    refetchInterval: 15_000,
  });
  // A decided appeal leaves the queue; what was decided stays said here.
  const [decided, setDecided] = useState<string | null>(null);
  return (
    <section aria-labelledby="appeals-title">
      <h1 id="appeals-title">{t('appeals.title')}</h1>
      <p role="status" data-testid="appeal-done">
        {decided ? t('appeals.decided', { outcome: t(`appealOutcome.${decided}`) }) : null}
      </p>
      <ProblemMessage error={appeals.error} />
      {appeals.data?.length === 0 ? <p>{t('appeals.none')}</p> : null}
      <ul className="appeals">
        {appeals.data?.map((a) => (
          <li key={a.id} className="card" data-testid="appeal">
            <p>
              <code>{a.subject_key}</code> · {label(a.category)} · {a.jurisdiction} ·{' '}
              {t(`appeals.by.${a.appellant_type}`, { defaultValue: a.appellant_type })} ·{' '}
              <DateTime value={a.created_at} />
            </p>
            <p>
              {t('appeals.decision')}:{' '}
              <strong>{t(`outcome.${a.decision_outcome}`, { defaultValue: a.decision_outcome })}</strong> ·{' '}
              <Link to={`/desk/cases/${a.case_id}`}>{t('appeals.openCase')}</Link>
            </p>
            <blockquote className="free-text" data-testid="appeal-grounds">
              {a.grounds}
            </blockquote>
            <AppealDecision appeal={a} onDecided={setDecided} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function AppealDecision({ appeal, onDecided }: { appeal: Appeal; onDecided: (outcome: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow();
  const [held, setHeld] = useState(appeal.held_by_me ? appeal.lease_until : null);
  const [outcome, setOutcome] = useState<'upheld' | 'rejected'>('upheld');
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!appeal.may_decide) return <p className="muted">{t('appeals.mayNot')}</p>;
  const claim = async () => {
    setError(null);
    try {
      const state = await post<{ lease_until: string }>(`/v1/appeals/${appeal.id}/claim`);
      setHeld(state.lease_until);
    } catch (err) {
      setError(err);
    }
  };
  const decide = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/appeals/${appeal.id}/decision`, { outcome, reasons });
      onDecided(outcome);
      await client.invalidateQueries({ queryKey: ['appeals'] });
    } catch (err) {
      setError(err);
    }
  };
  if (!held)
    return (
      <>
        <button type="button" className="primary" onClick={() => void claim()}>
          {t('appeals.claim')}
        </button>
        <ProblemMessage error={error} />
      </>
    );
  return (
    <form onSubmit={decide}>
      <p>
        {t('case.heldByYou')} <Countdown until={held} now={now} />
      </p>
      <RadioChoice
        legend={t('appeals.outcome')}
        name={`outcome-${appeal.id}`}
        options={['upheld', 'rejected'] as const}
        value={outcome}
        onChange={setOutcome}
        label={(o) => t(`appealOutcome.${o}`)}
      />
      <label>
        {t('appeals.reasons')}
        <textarea required rows={3} value={reasons} onChange={(e) => setReasons(e.target.value)} />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        {t('appeals.decide')}
      </button>
    </form>
  );
}
