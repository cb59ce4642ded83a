import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import { useCategoryLabel } from '../portal/taxonomy.ts';
import { Link, navigate } from '../router.tsx';
import type { Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { Countdown, DateTime, Deadline, useNow } from '../ui/time.tsx';
import { useCase, useCaseNotices, useExposure, usePreserved } from './case-data.ts';
import { DecisionForm } from './DecisionForm.tsx';
import { PriorCases } from './PriorCases.tsx';
import { useQueue } from './queue-data.ts';
import { ExposureCounter, type MediaItem, SafeMedia } from './SafeMedia.tsx';
import { ScreeningMatches } from './ScreeningMatches.tsx';

/**
 * The case file: targets and their canonical subject, every notice and notifier, evidence
 * and preserved content (blurred), screening matches, the event log, and the decision form.
 * Keys: c claim, r reveal the next item, d decide, n next case.
 */
export function CaseView({ id, me }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow();
  const label = useCategoryLabel();
  const kase = useCase(id);
  const c = kase.data;
  const noticeIds = useMemo(() => [...new Set(c?.notices.map((n) => n.id) ?? [])], [c]);
  const notices = useCaseNotices(noticeIds);
  const preserved = usePreserved(id);
  const exposure = useExposure();
  const queue = useQueue({});
  const [openItem, setOpenItem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const held = c?.assigned_to === me.id && c.lease_until && new Date(c.lease_until).getTime() > now;

  const media: MediaItem[] = [
    ...notices.flatMap((q) =>
      (q.data?.evidence ?? []).map((e) => ({
        objectType: 'evidence' as const,
        id: e.id,
        filename: e.filename,
        contentType: e.content_type,
        url: `/v1/notices/${q.data!.id}/evidence/${e.id}`,
      })),
    ),
    ...(preserved.data ?? [])
      .filter((p) => !p.purged_at)
      .map((p) => ({
        objectType: 'preserved_content' as const,
        id: p.id,
        filename: p.filename ?? p.description,
        contentType: p.content_type ?? 'text/plain',
        url: `/v1/preserved-content/${p.id}`,
      })),
  ];

  const act = async (what: 'claim' | 'release') => {
    setError(null);
    try {
      await post(`/v1/cases/${id}/${what}`);
      await client.invalidateQueries({ queryKey: ['case', id] });
      await client.invalidateQueries({ queryKey: ['queue'] });
    } catch (err) {
      setError(err);
    }
  };
  const next = () => {
    const rows = queue.data?.pages.flat() ?? [];
    const following = rows.find((r) => r.case_id !== id);
    navigate(following ? `/desk/cases/${following.case_id}` : '/desk');
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return;
      if (e.key === 'c') void act('claim');
      else if (e.key === 'r') (document.querySelector('[data-reveal]') as HTMLButtonElement | null)?.click();
      else if (e.key === 'd')
        (document.querySelector('#decision-outcome') as HTMLSelectElement | null)?.focus();
      else if (e.key === 'n') next();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (kase.error) return <ProblemMessage error={kase.error} />;
  if (!c) return <p className="loading">{t('common.loading')}</p>;
  return (
    <div className="case">
      <section className="case-main" aria-labelledby="case-title">
        <h1 id="case-title">
          {t('case.title')} <code>{c.subject_key}</code>
        </h1>
        <p className="marks">
          <span className={`status s-${c.status}`} data-testid="case-status">
            {t(`caseStatus.${c.status}`, { defaultValue: c.status })}
          </span>{' '}
          {c.trusted ? <span className="mark trusted">{t('queue.trusted')}</span> : null}{' '}
          <span className={`mark sev sev-${c.severity}`}>
            {t('queue.severity')} {c.severity}
          </span>{' '}
          {label(c.category)} · {c.jurisdiction} · {c.language}
        </p>
        <dl className="facts">
          <dt>{t('queue.due')}</dt>
          <dd>
            <Deadline at={c.due_at} jurisdiction={c.jurisdiction} now={now} />
          </dd>
          <dt>{t('case.legalDue')}</dt>
          <dd>
            <Deadline at={c.legal_due_at} jurisdiction={c.jurisdiction} now={now} />
          </dd>
          <dt>{t('case.lease')}</dt>
          <dd data-testid="lease">
            {held ? (
              <>
                {t('case.heldByYou')} <Countdown until={c.lease_until} now={now} />
              </>
            ) : c.assigned_to && c.lease_until && new Date(c.lease_until).getTime() > now ? (
              t('case.heldByOther')
            ) : (
              t('case.free')
            )}
          </dd>
        </dl>
        <p className="actions">
          <button type="button" className="primary" onClick={() => void act('claim')} aria-keyshortcuts="c">
            {held ? t('case.renew') : t('case.claim')}
          </button>
          {held ? (
            <button type="button" onClick={() => void act('release')}>
              {t('case.release')}
            </button>
          ) : null}
          <button type="button" onClick={next} aria-keyshortcuts="n">
            {t('case.next')}
          </button>
        </p>
        <ProblemMessage error={error} />

        <h2>{t('case.notices')}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('case.target')}</th>
              <th scope="col">{t('case.notifier')}</th>
              <th scope="col">{t('queue.source')}</th>
              <th scope="col">{t('notice.explanation')}</th>
              <th scope="col">{t('notices.received')}</th>
            </tr>
          </thead>
          <tbody>
            {c.notices.map((n) => (
              <tr key={`${n.id}:${n.idx}`}>
                <td>
                  <code>{n.raw}</code>
                  {n.reference ? <div className="muted free-text">{n.reference}</div> : null}
                  <div>
                    <Link to={`/portal/notices/${n.id}`}>{t('case.openNotice')}</Link>
                  </div>
                </td>
                <td>{n.org}</td>
                <td>{t(`source.${n.source_type}`, { defaultValue: n.source_type })}</td>
                <td className="free-text" data-testid="case-explanation">
                  {n.explanation}
                  {n.legal_basis ? <div className="muted">{n.legal_basis}</div> : null}
                </td>
                <td>
                  <DateTime value={n.received_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2>{t('case.media')}</h2>
        <ExposureCounter exposure={exposure.data} />
        {media.length === 0 ? <p className="muted">{t('case.noMedia')}</p> : null}
        <div className="media-grid">
          {media.map((m) => (
            <SafeMedia
              key={m.id}
              caseId={id}
              item={m}
              open={openItem === m.id}
              onOpen={() => setOpenItem(m.id)}
            />
          ))}
        </div>

        <ScreeningMatches preserved={preserved.data ?? []} />

        <PriorCases caseId={id} />

        <h2>{t('case.decisions')}</h2>
        {c.decisions.length === 0 ? <p className="muted">{t('case.noDecisions')}</p> : null}
        <ul>
          {c.decisions.map((d) => (
            <li key={d.id}>
              <strong>{t(`outcome.${d.outcome}`, { defaultValue: d.outcome })}</strong> · {d.status} ·{' '}
              <DateTime value={d.created_at} />
            </li>
          ))}
        </ul>
        {c.actions.length ? (
          <>
            <h3>{t('case.actions')}</h3>
            <ul>
              {c.actions.map((a) => (
                <li key={a.id}>
                  {a.type} · {a.connector} · <span className={`status s-${a.status}`}>{a.status}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <h2>{t('case.events')}</h2>
        <ol className="events" data-testid="events">
          {c.events.map((e) => (
            <li key={e.seq}>
              <DateTime value={e.at} /> · <strong>{e.type}</strong>{' '}
              <span className="muted">
                {e.from_status} → {e.to_status} ({e.actor_type})
              </span>
            </li>
          ))}
        </ol>
      </section>
      <aside className="case-side">
        <DecisionForm caseFile={c} held={Boolean(held)} />
      </aside>
    </div>
  );
}
