import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { type Hearing, HearingSummary } from '../portal/hearing-view.tsx';
import { RadioChoice } from '../ui/choice.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { endOfDay } from '../ui/time.tsx';

/**
 * A flagger's hearings, for a lead (DSA Art. 22(7)): a trusted status is revoked or suspended
 * only after the organisation was told why and could answer. Open one; decide once it is
 * answered or its time is up (the server refuses a decision before then).
 */
export function FlaggerHearings({
  slug,
  canDecide,
  trusted,
}: {
  slug: string;
  canDecide: boolean;
  /** Only a trusted status is revoked or suspended after a hearing. */
  trusted: boolean;
}) {
  const { t } = useTranslation();
  const hearings = useQuery({
    queryKey: ['flagger-hearings', slug],
    queryFn: async () => (await get<{ items: Hearing[] }>(`/v1/flaggers/${slug}/hearings`)).items,
  });
  const open = hearings.data?.some((h) => h.status !== 'decided');
  return (
    <section aria-labelledby={`hearings-${slug}`}>
      <h3 id={`hearings-${slug}`}>{t('hearings.title')}</h3>
      <ProblemMessage error={hearings.error} />
      {hearings.data?.length === 0 ? <p className="muted">{t('hearings.none')}</p> : null}
      <ul>
        {hearings.data?.map((h) => (
          <li key={h.id} className="card" data-testid="flagger-hearing">
            <HearingSummary hearing={h} />
            {canDecide && h.status !== 'decided' ? <DecisionForm slug={slug} hearing={h} /> : null}
          </li>
        ))}
      </ul>
      {canDecide && trusted && hearings.data && !open ? <OpenForm slug={slug} /> : null}
    </section>
  );
}

function OpenForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [proposed, setProposed] = useState<'revoke' | 'suspend'>('suspend');
  const [until, setUntil] = useState('');
  const [grounds, setGrounds] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/flaggers/${slug}/hearings`, {
        proposed,
        grounds,
        ...(proposed === 'suspend' && until ? { until: endOfDay(until) } : {}),
      });
      setGrounds('');
      await client.invalidateQueries({ queryKey: ['flagger-hearings', slug] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`open-hearing-${slug}`}>
      <h4 id={`open-hearing-${slug}`}>{t('hearings.open')}</h4>
      <label>
        {t('hearings.propose')}
        <select value={proposed} onChange={(e) => setProposed(e.target.value as 'revoke' | 'suspend')}>
          {(['suspend', 'revoke'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`hearings.proposed.${p}`)}
            </option>
          ))}
        </select>
      </label>
      {proposed === 'suspend' ? (
        <label>
          {t('hearings.until')}
          <input type="date" required value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
      ) : null}
      <label>
        {t('hearings.grounds')}
        <textarea
          required
          rows={3}
          maxLength={10_000}
          value={grounds}
          onChange={(e) => setGrounds(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit">{t('hearings.openSubmit')}</button>
    </form>
  );
}

function DecisionForm({ slug, hearing }: { slug: string; hearing: Hearing }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [decision, setDecision] = useState<'revoke' | 'suspend' | 'keep'>(hearing.proposed);
  const [until, setUntil] = useState(hearing.proposed_until?.slice(0, 10) ?? '');
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/hearings/${hearing.id}/decision`, {
        decision,
        reasons,
        ...(decision === 'suspend' && until ? { until: endOfDay(until) } : {}),
      });
      await client.invalidateQueries({ queryKey: ['flagger-hearings', slug] });
      await client.invalidateQueries({ queryKey: ['flagger', slug] });
      await client.invalidateQueries({ queryKey: ['flaggers'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} aria-label={t('hearings.decide')}>
      <RadioChoice
        legend={t('hearings.decide')}
        name={`hearing-${hearing.id}`}
        options={['keep', 'suspend', 'revoke'] as const}
        value={decision}
        onChange={setDecision}
        label={(d) => t(`hearings.decision.${d}`)}
      />
      {decision === 'suspend' ? (
        <label>
          {t('hearings.until')}
          <input type="date" required value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
      ) : null}
      <label>
        {t('hearings.reasons')}
        <textarea
          required
          rows={3}
          maxLength={10_000}
          value={reasons}
          onChange={(e) => setReasons(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        {t('hearings.decideSubmit')}
      </button>
    </form>
  );
}
