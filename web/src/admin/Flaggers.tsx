import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, post, saveFile } from '../api.ts';
import { can, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime, endOfDay } from '../ui/time.tsx';
import { AnnualReport } from './AnnualReport.tsx';
import { FlaggerHearings } from './FlaggerHearings.tsx';

interface Figure {
  precision: number | null;
  upheld: number;
  decided: number;
}
interface Flagger {
  slug: string;
  name: string;
  kind: string;
  flagger_status: string;
  status_since: string | null;
  designated_by: string | null;
  figures: { last_90_days: Figure; all_time: Figure };
  below_threshold: boolean;
}
interface FlaggerDetail extends Flagger {
  status_history: {
    id: string;
    from_status: string | null;
    to_status: string;
    reasons: string;
    decided_by: string;
    effective_at: string;
  }[];
  designated_by: string | null;
  suspended_until: string | null;
  warnings: { id: string; reason: string; issued_by: string; at: string }[];
  alerts: { id: string; kind: string; created_at: string; acknowledged_at: string | null }[];
}

const pct = (f: Figure) =>
  f.precision === null ? '—' : `${Math.round(f.precision * 100)}% (${f.upheld}/${f.decided})`;

/** Flagger organisations: status, precision, status history, warnings, alerts and the evidence pack. */
export function Flaggers({ me }: { me: Me }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['flaggers'],
    queryFn: async () => (await get<{ items: Flagger[] }>('/v1/flaggers')).items,
  });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="flaggers-title">
      <h1 id="flaggers-title">{t('flaggers.title')}</h1>
      <QueryState query={list} empty={t('flaggers.none')} isEmpty={list.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('flaggers.org')}</th>
              <th scope="col">{t('flaggers.status')}</th>
              <th scope="col">{t('flaggers.p90')}</th>
              <th scope="col">{t('flaggers.pAll')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((f) => (
              <tr key={f.slug} className={f.below_threshold ? 'warn' : ''}>
                <td>
                  {f.name} <span className="muted">({f.kind})</span>
                </td>
                <td>
                  {t(`flaggerStatus.${f.flagger_status}`, { defaultValue: f.flagger_status })}{' '}
                  <DateTime value={f.status_since} />
                </td>
                <td>{pct(f.figures.last_90_days)}</td>
                <td>{pct(f.figures.all_time)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => setOpen(open === f.slug ? null : f.slug)}
                    aria-expanded={open === f.slug}
                  >
                    {t('flaggers.details')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      {open ? <FlaggerPanel slug={open} canDecide={can(me, 'cases:lead')} /> : null}
    </section>
  );
}

function FlaggerPanel({ slug, canDecide }: { slug: string; canDecide: boolean }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['flagger', slug],
    queryFn: () => get<FlaggerDetail>(`/v1/flaggers/${slug}`),
  });
  const [error, setError] = useState<unknown>(null);
  const pack = async (format: 'json' | 'csv') => {
    try {
      saveFile(
        `evidence-pack-${slug}.${format}`,
        await fetchBlob(`/v1/flaggers/${slug}/evidence-pack?format=${format}`),
      );
    } catch (err) {
      setError(err);
    }
  };
  const d = detail.data;
  return (
    <section className="card" aria-label={slug}>
      <ProblemMessage error={detail.error ?? error} />
      {d ? (
        <>
          <h2>{d.name}</h2>
          <h3>{t('flaggers.history')}</h3>
          <ul>
            {d.status_history.map((h) => (
              <li key={h.id}>
                <DateTime value={h.effective_at} />{' '}
                {h.from_status ? t(`flaggerStatus.${h.from_status}`, { defaultValue: h.from_status }) : '—'} →{' '}
                <strong>{t(`flaggerStatus.${h.to_status}`, { defaultValue: h.to_status })}</strong>{' '}
                <span className="free-text">{h.reasons}</span>
              </li>
            ))}
          </ul>
          <h3>{t('flaggers.warnings')}</h3>
          {d.warnings.length === 0 ? <p className="muted">{t('flaggers.noWarnings')}</p> : null}
          <ul data-testid="warnings">
            {d.warnings.map((w) => (
              <li key={w.id}>
                <DateTime value={w.at} /> <span className="free-text">{w.reason}</span>
              </li>
            ))}
          </ul>
          <h3>{t('flaggers.alerts')}</h3>
          <ul>
            {d.alerts.map((a) => (
              <li key={a.id}>
                {a.kind} <DateTime value={a.created_at} /> {a.acknowledged_at ? '✓' : ''}
              </li>
            ))}
          </ul>
          <p className="actions">
            <button type="button" onClick={() => void pack('json')}>
              {t('flaggers.pack')} (JSON)
            </button>
            <button type="button" onClick={() => void pack('csv')}>
              {t('flaggers.pack')} (CSV)
            </button>
          </p>
          {canDecide ? (
            <div className="two">
              <StatusForm slug={slug} current={d.flagger_status} />
              <WarningForm slug={slug} />
            </div>
          ) : null}
          <FlaggerHearings slug={slug} canDecide={canDecide} trusted={d.flagger_status === 'trusted'} />
          <AnnualReport slug={slug} />
        </>
      ) : null}
    </section>
  );
}

/** A lead decides the flagger's status, with reasons: trusted (with who designated it), regular, suspended until a date. */
function StatusForm({ slug, current }: { slug: string; current: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [status, setStatus] = useState(current === 'trusted' ? 'regular' : 'trusted');
  const [reasons, setReasons] = useState('');
  const [designatedBy, setDesignatedBy] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await post(`/v1/flaggers/${slug}/status`, {
        status,
        reasons,
        ...(status === 'trusted' && designatedBy ? { designated_by: designatedBy } : {}),
        ...(status === 'suspended' && until ? { until: endOfDay(until) } : {}),
      });
      setReasons('');
      setDone(true);
      await client.invalidateQueries({ queryKey: ['flagger', slug] });
      await client.invalidateQueries({ queryKey: ['flaggers'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`status-${slug}`}>
      <h3 id={`status-${slug}`}>{t('flaggers.changeStatus')}</h3>
      <label>
        {t('flaggers.newStatus')}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          {['trusted', 'regular', 'suspended'].map((s) => (
            <option key={s} value={s}>
              {t(`flaggerStatus.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {status === 'trusted' ? (
        <label>
          {t('flaggers.designatedBy')}
          <input value={designatedBy} onChange={(e) => setDesignatedBy(e.target.value)} />
        </label>
      ) : null}
      {status === 'suspended' ? (
        <label>
          {t('flaggers.until')}
          <input type="date" required value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
      ) : null}
      <label>
        {t('flaggers.reasons')}
        <textarea
          rows={3}
          required
          maxLength={5000}
          value={reasons}
          onChange={(e) => setReasons(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      {done ? <p role="status">{t('flaggers.statusSaved')}</p> : null}
      <button type="submit" className="primary">
        {t('flaggers.decideStatus')}
      </button>
    </form>
  );
}

/** A warning to a notifier that sends manifestly unfounded notices (DSA Art. 23(2)); cited notices get it in their thread. */
function WarningForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [notices, setNotices] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const ids = notices
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    try {
      await post(`/v1/flaggers/${slug}/warnings`, { reason, ...(ids.length ? { notice_ids: ids } : {}) });
      setReason('');
      setNotices('');
      setDone(true);
      await client.invalidateQueries({ queryKey: ['flagger', slug] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`warn-${slug}`}>
      <h3 id={`warn-${slug}`}>{t('flaggers.warn')}</h3>
      <label>
        {t('flaggers.warningReason')}
        <textarea
          rows={3}
          required
          maxLength={5000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <label>
        {t('flaggers.citedNotices')}
        <input value={notices} onChange={(e) => setNotices(e.target.value)} />
      </label>
      <ProblemMessage error={error} />
      {done ? <p role="status">{t('flaggers.warned')}</p> : null}
      <button type="submit">{t('flaggers.issueWarning')}</button>
    </form>
  );
}
