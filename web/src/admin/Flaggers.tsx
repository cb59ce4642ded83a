import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, saveFile } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

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
  warnings: { id?: string; reasons?: string; created_at?: string }[];
  alerts: { id: string; kind: string; created_at: string; acknowledged_at: string | null }[];
}

const pct = (f: Figure) =>
  f.precision === null ? '—' : `${Math.round(f.precision * 100)}% (${f.upheld}/${f.decided})`;

/** Flagger organisations: status, precision, status history, warnings, alerts and the evidence pack. */
export function Flaggers() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['flaggers'],
    queryFn: async () => (await get<{ items: Flagger[] }>('/v1/flaggers')).items,
  });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="flaggers-title">
      <h1 id="flaggers-title">{t('flaggers.title')}</h1>
      <ProblemMessage error={list.error} />
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
      {open ? <FlaggerPanel slug={open} /> : null}
    </section>
  );
}

function FlaggerPanel({ slug }: { slug: string }) {
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
                <DateTime value={h.effective_at} /> {h.from_status ?? '—'} → <strong>{h.to_status}</strong>{' '}
                <span className="free-text">{h.reasons}</span>
              </li>
            ))}
          </ul>
          <h3>{t('flaggers.warnings')}</h3>
          <p>{d.warnings.length}</p>
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
        </>
      ) : null}
    </section>
  );
}
