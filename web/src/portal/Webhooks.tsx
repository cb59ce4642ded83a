import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime } from '../ui/time.tsx';

interface Webhook {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  created_at: string;
  disabled_at: string | null;
}
interface Deliveries {
  attempts: {
    id: string;
    event_id: string;
    event_type: string;
    notice_id: string;
    attempt: number;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
    at: string;
  }[];
  queue: {
    event_id: string;
    status: string;
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
  }[];
}

/** The event types of src/notices/events.ts (noticeEventTypes), to choose from. */
const EVENT_TYPES = [
  'notice.received',
  'notice.clock.at_risk',
  'notice.clock.target_missed',
  'notice.clock.breached',
  'notice.clarification_requested',
  'notice.clarification_answered',
  'notice.impossible',
  'notice.message',
  'notice.message_read',
  'notice.objection_received',
  'notice.in_review',
  'notice.decided',
  'notice.action_applied',
  'notice.action_reverted',
  'notice.appeal_received',
  'notice.appeal_decided',
  'notice.closed',
];

/**
 * The organisation's webhooks: register one (its signing secret is shown once), disable it,
 * and read its delivery log (every attempt, what is still queued and when it is retried),
 * with redelivery of any event.
 */
export function Webhooks() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const hooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await get<{ items: Webhook[] }>('/v1/webhooks')).items,
  });
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const eventTypes = types;
      const made = await post<{ webhook: Webhook; secret: string }>('/v1/webhooks', {
        url,
        ...(description ? { description } : {}),
        ...(eventTypes.length ? { event_types: eventTypes } : {}),
      });
      setSecret(made.secret);
      setUrl('');
      setDescription('');
      setTypes([]);
      await client.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (err) {
      setError(err);
    }
  };
  const disable = async (id: string) => {
    setError(null);
    try {
      await post(`/v1/webhooks/${id}/disable`);
      await client.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('webhooks.title')}</h1>
      <form className="card" onSubmit={create}>
        <h2>{t('webhooks.new')}</h2>
        <label>
          {t('webhooks.url')}
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label>
          {t('webhooks.description')}
          <input value={description} maxLength={300} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset>
          <legend>{t('webhooks.types')}</legend>
          <div className="checks">
            {EVENT_TYPES.map((type) => (
              <label key={type} className="check">
                <input
                  type="checkbox"
                  checked={types.includes(type)}
                  onChange={() =>
                    setTypes((ts) => (ts.includes(type) ? ts.filter((x) => x !== type) : [...ts, type]))
                  }
                />{' '}
                <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <ProblemMessage error={error} />
        <button type="submit" className="primary">
          {t('webhooks.create')}
        </button>
      </form>
      {secret ? (
        <div className="card once" role="status" data-testid="webhook-secret">
          <p>
            <strong>{t('webhooks.secretOnce')}</strong>
          </p>
          <code className="secret">{secret}</code>
          <p>
            <button type="button" onClick={() => setSecret(null)}>
              {t('common.dismiss')}
            </button>
          </p>
        </div>
      ) : null}
      <QueryState query={hooks} empty={t('webhooks.none')} isEmpty={hooks.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('webhooks.url')}</th>
              <th scope="col">{t('webhooks.types')}</th>
              <th scope="col">{t('bulk.status')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {hooks.data?.map((h) => (
              <tr key={h.id} data-testid="webhook">
                <td className="free-text">
                  <code>{h.url}</code>
                  {h.description ? <div className="muted">{h.description}</div> : null}
                </td>
                <td>{h.event_types.length ? h.event_types.join(', ') : t('webhooks.allTypes')}</td>
                <td>
                  {h.disabled_at ? (
                    <>
                      {t('webhooks.disabled')} <DateTime value={h.disabled_at} />
                    </>
                  ) : (
                    t('webhooks.active')
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    aria-expanded={open === h.id}
                    onClick={() => setOpen(open === h.id ? null : h.id)}
                  >
                    {t('webhooks.log')}
                  </button>
                  {h.disabled_at ? null : (
                    <button type="button" onClick={() => void disable(h.id)}>
                      {t('webhooks.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      {open ? <DeliveryLog id={open} /> : null}
    </section>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);
  const log = useQuery({
    queryKey: ['deliveries', id],
    queryFn: () => get<Deliveries>(`/v1/webhooks/${id}/deliveries?limit=200`),
    refetchInterval: 5000,
  });
  const redeliver = async (eventId: string) => {
    setError(null);
    try {
      await post(`/v1/webhooks/${id}/redeliver`, { event_id: eventId });
      setSent(eventId);
      await client.invalidateQueries({ queryKey: ['deliveries', id] });
    } catch (err) {
      setError(err);
    }
  };
  const d = log.data;
  return (
    <section className="card" aria-labelledby="log-title" data-testid="delivery-log">
      <h2 id="log-title">{t('webhooks.log')}</h2>
      <ProblemMessage error={error} />
      {sent ? <p role="status">{t('webhooks.redelivered')}</p> : null}
      <QueryState
        query={log}
        empty={t('webhooks.noDeliveries')}
        isEmpty={Boolean(d && d.attempts.length === 0 && d.queue.length === 0)}
      >
        {d?.queue.length ? (
          <>
            <h3>{t('webhooks.queued')}</h3>
            <ul>
              {d.queue.map((q) => (
                <li key={q.event_id} data-testid="queued-delivery">
                  <code>{q.event_id}</code> · {q.status} · {t('webhooks.attempts', { n: q.attempts })} ·{' '}
                  {t('webhooks.next')} <DateTime value={q.next_attempt_at} />
                  {q.last_error ? <span className="error-text free-text"> · {q.last_error}</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {d?.attempts.length ? (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('webhooks.attempt')}</th>
                <th scope="col">{t('webhooks.result')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {d.attempts.map((a) => {
                const ok = a.status_code !== null && a.status_code >= 200 && a.status_code < 300;
                return (
                  <tr key={a.id} data-testid="delivery" className={ok ? '' : 'warn'}>
                    <td>
                      <DateTime value={a.at} />
                    </td>
                    <td>
                      {a.event_type} <span className="muted">{a.event_id}</span>
                    </td>
                    <td>{a.attempt}</td>
                    <td className="free-text">
                      <span className={ok ? 'ok' : 'error-text'}>
                        {a.status_code ?? t('webhooks.noAnswer')}
                      </span>{' '}
                      {a.error ?? ''} <span className="muted">({a.duration_ms} ms)</span>
                    </td>
                    <td>
                      <button type="button" onClick={() => void redeliver(a.event_id)}>
                        {t('webhooks.redeliver')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </QueryState>
    </section>
  );
}
