import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, post, saveFile } from '../api.ts';
import { can, isFlagger, type Me } from '../session.tsx';
import { CheckChoice, RadioChoice } from '../ui/choice.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { Countdown, DateTime, endOfDay, startOfDay, useNow } from '../ui/time.tsx';

const categories = ['subject', 'notices', 'decisions', 'enforcement', 'preserved_content'] as const;
type Category = (typeof categories)[number];

interface DataRequest {
  id: string;
  org: string;
  reference: string;
  subject: { target: string; key?: string };
  legal_basis: string;
  categories: Category[];
  period_from: string;
  period_to: string;
  urgency: 'urgent' | 'normal';
  status: 'received' | 'approved' | 'partly_approved' | 'refused';
  received_at: string;
  due_at: string;
  reasons: string | null;
  disclosed_categories: Category[];
  decided_at: string | null;
  clock: 'on_time' | 'at_risk' | 'breached' | 'answered';
}

/**
 * Data requests (MR5/2020): an authority asks for data about an account or channel, with the
 * legal basis, the categories, the period and the urgency; the platform's lead approves it,
 * in full or in part, or refuses it, with reasons, before its deadline; an approval builds the
 * disclosure package (a manifest of SHA-256 digests), which the requester downloads here.
 * An authority sees its own organisation's requests; a lead sees every one.
 */
export function DataRequests({ me }: { me: Me }) {
  const { t } = useTranslation();
  const now = useNow();
  const requests = useQuery({
    queryKey: ['data-requests'],
    queryFn: async () => (await get<{ items: DataRequest[] }>('/v1/data-requests')).items,
    refetchInterval: 30_000,
  });
  const [error, setError] = useState<unknown>(null);
  const download = async (id: string) => {
    setError(null);
    try {
      saveFile(`data-request-${id}.json`, await fetchBlob(`/v1/data-requests/${id}/package`));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="data-requests-title">
      <h1 id="data-requests-title">{t('dataRequests.title')}</h1>
      <p className="muted">{t('dataRequests.intro')}</p>
      {isFlagger(me) && can(me, 'data_requests:submit') ? <RequestForm /> : null}
      <ProblemMessage error={requests.error ?? error} />
      {requests.data?.length === 0 ? <p>{t('dataRequests.none')}</p> : null}
      <ul className="appeals">
        {requests.data?.map((r) => (
          <li key={r.id} className="card" data-testid="data-request">
            <p>
              <strong>{r.reference}</strong> · {r.org} · <code>{r.subject.target}</code> ·{' '}
              {t(`dataRequests.urgency.${r.urgency}`)} ·{' '}
              <span data-testid="data-request-status">{t(`dataRequests.status.${r.status}`)}</span>
            </p>
            <p>
              {t('dataRequests.categories')}:{' '}
              {r.categories.map((c) => t(`dataRequests.category.${c}`)).join(', ')} ·{' '}
              {t('dataRequests.period')} <DateTime value={r.period_from} /> – <DateTime value={r.period_to} />
            </p>
            <p className="muted free-text">{r.legal_basis}</p>
            {r.status === 'received' ? (
              <p>
                {t('dataRequests.due')}: <Countdown until={r.due_at} now={now} />{' '}
                <DateTime value={r.due_at} />
                {r.clock === 'at_risk' || r.clock === 'breached' ? (
                  <span className={`mark ${r.clock === 'breached' ? 'sev-5' : 'sev-4'}`}>
                    {t(`objections.state.${r.clock}`)}
                  </span>
                ) : null}
              </p>
            ) : (
              <p>
                {t('dataRequests.decided')} <DateTime value={r.decided_at} />
                {r.disclosed_categories.length
                  ? ` · ${t('dataRequests.disclosed')}: ${r.disclosed_categories.map((c) => t(`dataRequests.category.${c}`)).join(', ')}`
                  : ''}{' '}
                <span className="free-text">{r.reasons}</span>
              </p>
            )}
            {r.status === 'approved' || r.status === 'partly_approved' ? (
              <button type="button" onClick={() => void download(r.id)}>
                {t('dataRequests.package')}
              </button>
            ) : null}
            {r.status === 'received' && can(me, 'data_requests:decide') ? <DecisionForm request={r} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RequestForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reference, setReference] = useState('');
  const [target, setTarget] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [chosen, setChosen] = useState<Category[]>(['subject', 'notices']);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [urgency, setUrgency] = useState<'normal' | 'urgent'>('normal');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSent(false);
    try {
      await post('/v1/data-requests', {
        reference,
        subject: { target },
        legal_basis: legalBasis,
        categories: chosen,
        period: { from: startOfDay(from), to: endOfDay(to) },
        urgency,
      });
      setSent(true);
      setReference('');
      await client.invalidateQueries({ queryKey: ['data-requests'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="data-request-new">
      <h2 id="data-request-new">{t('dataRequests.new')}</h2>
      <div className="two">
        <label>
          {t('dataRequests.reference')}
          <input required maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
        </label>
        <label>
          {t('dataRequests.subject')}
          <input required maxLength={2048} value={target} onChange={(e) => setTarget(e.target.value)} />
        </label>
      </div>
      <label>
        {t('dataRequests.legalBasis')}
        <textarea
          required
          rows={2}
          maxLength={4000}
          value={legalBasis}
          onChange={(e) => setLegalBasis(e.target.value)}
        />
      </label>
      <CheckChoice
        legend={t('dataRequests.categories')}
        options={categories}
        chosen={chosen}
        onChange={setChosen}
        label={(c) => t(`dataRequests.category.${c}`)}
      />
      <div className="two">
        <label>
          {t('dataRequests.from')}
          <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('dataRequests.to')}
          <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <label>
        {t('dataRequests.urgencyLabel')}
        <select value={urgency} onChange={(e) => setUrgency(e.target.value as 'normal' | 'urgent')}>
          <option value="normal">{t('dataRequests.urgency.normal')}</option>
          <option value="urgent">{t('dataRequests.urgency.urgent')}</option>
        </select>
      </label>
      <ProblemMessage error={error} />
      {sent ? <p role="status">{t('dataRequests.sent')}</p> : null}
      <button type="submit" className="primary" disabled={chosen.length === 0}>
        {t('dataRequests.send')}
      </button>
    </form>
  );
}

function DecisionForm({ request }: { request: DataRequest }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [decision, setDecision] = useState<'approve' | 'approve_partly' | 'refuse'>('approve');
  const [disclosed, setDisclosed] = useState<Category[]>(request.categories.slice(0, 1));
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/data-requests/${request.id}/decision`, {
        decision,
        reasons,
        ...(decision === 'approve_partly' ? { categories: disclosed } : {}),
      });
      await client.invalidateQueries({ queryKey: ['data-requests'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} aria-label={t('dataRequests.decide')}>
      <RadioChoice
        legend={t('dataRequests.decide')}
        name={`data-request-${request.id}`}
        options={['approve', 'approve_partly', 'refuse'] as const}
        value={decision}
        onChange={setDecision}
        label={(d) => t(`dataRequests.decision.${d}`)}
      />
      {decision === 'approve_partly' ? (
        <CheckChoice
          legend={t('dataRequests.disclosed')}
          options={request.categories}
          chosen={disclosed}
          onChange={setDisclosed}
          label={(c) => t(`dataRequests.category.${c}`)}
        />
      ) : null}
      <label>
        {t('dataRequests.reasons')}
        <textarea
          required
          rows={2}
          maxLength={10_000}
          value={reasons}
          onChange={(e) => setReasons(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        {t('dataRequests.record')}
      </button>
    </form>
  );
}
