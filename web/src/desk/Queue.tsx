import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import { useCategoryLabel, useTaxonomy } from '../portal/taxonomy.ts';
import { Link, navigate } from '../router.tsx';
import type { Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { Countdown, useJurisdictions, useNow } from '../ui/time.tsx';
import { type QueueFilters, useQueue } from './queue-data.ts';

const ROW = 44;

/**
 * The review queue, the case to work next first (the API's order: due time, trusted
 * flagger, severity, hash match, notices). Virtualised: ten thousand cases render as the
 * few rows on screen. Keys: j/k move, Enter opens, c claims and opens.
 */
export function Queue({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<QueueFilters>({});
  const queue = useQueue(filters);
  const rows = useMemo(() => queue.data?.pages.flat() ?? [], [queue.data]);
  const now = useNow();
  const label = useCategoryLabel();
  const taxonomy = useTaxonomy();
  const jurisdictions = useJurisdictions();
  const scroller = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = queue;
  useEffect(() => {
    if (last && last.index >= rows.length - 50 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const claim = async (caseId: string) => {
    setError(null);
    try {
      await post(`/v1/cases/${caseId}/claim`);
      navigate(`/desk/cases/${caseId}`);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement ||
        e.target instanceof HTMLTextAreaElement
      )
        return;
      const row = rows[selected];
      if (e.key === 'j') setSelected((s) => Math.min(rows.length - 1, s + 1));
      else if (e.key === 'k') setSelected((s) => Math.max(0, s - 1));
      else if (e.key === 'Enter' && row) navigate(`/desk/cases/${row.case_id}`);
      else if (e.key === 'c' && row) void claim(row.case_id);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    if (rows.length) virtual.scrollToIndex(selected, { align: 'auto' });
  }, [selected, rows.length, virtual]);

  const setFilter = (key: keyof QueueFilters, value: string) =>
    setFilters((f) => ({ ...f, [key]: value || undefined }));

  return (
    <section aria-labelledby="queue-title">
      <div className="title-row">
        <h1 id="queue-title">{t('queue.title')}</h1>
        <span className="muted" data-testid="queue-count">
          {t('queue.count', { n: rows.length })}
          {hasNextPage ? '+' : ''}
        </span>
      </div>
      <p className="muted">{t('queue.keys')}</p>
      <fieldset className="filters">
        <legend className="sr-only">{t('queue.filters')}</legend>
        <label>
          {t('notice.jurisdiction')}
          <select
            value={filters.jurisdiction ?? ''}
            onChange={(e) => setFilter('jurisdiction', e.target.value)}
          >
            <option value="">{t('common.all')}</option>
            {jurisdictions.data?.map((j) => (
              <option key={j.code} value={j.code}>
                {j.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('notice.category')}
          <select value={filters.category ?? ''} onChange={(e) => setFilter('category', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {taxonomy.data?.map((c) => (
              <option key={c.code} value={c.code}>
                {label(c.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.source')}
          <select value={filters.source ?? ''} onChange={(e) => setFilter('source', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {['trusted_flagger', 'government_order', 'regular_notice', 'automated_detection'].map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.language')}
          <select value={filters.language ?? ''} onChange={(e) => setFilter('language', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {me.languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <ProblemMessage error={error ?? queue.error} />
      <div className="queue-head" aria-hidden="true">
        <span>{t('queue.due')}</span>
        <span>{t('queue.marks')}</span>
        <span>{t('case.subject')}</span>
        <span>{t('notice.category')}</span>
        <span>{t('queue.notices')}</span>
        <span />
      </div>
      <div ref={scroller} className="queue-scroll" data-testid="queue-scroll">
        {queue.isPending ? <p className="loading">{t('common.loading')}</p> : null}
        {!queue.isPending && rows.length === 0 ? <p>{t('queue.empty')}</p> : null}
        <ul className="queue" style={{ height: virtual.getTotalSize() }} aria-label={t('queue.title')}>
          {items.map((v) => {
            const c = rows[v.index]!;
            return (
              <li
                key={c.case_id}
                className={`queue-row${v.index === selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                data-testid="queue-row"
                data-index={v.index}
              >
                <span>
                  <Countdown until={c.due_at} now={now} />
                </span>
                <span className="marks">
                  {c.trusted ? (
                    <span className="mark trusted" title={t('queue.trusted')}>
                      {t('queue.trustedShort')}
                    </span>
                  ) : null}
                  <span className={`mark sev sev-${c.severity}`} title={t('queue.severity')}>
                    S{c.severity}
                  </span>
                  {c.hash_match_confidence !== null ? <span className="mark">#</span> : null}
                  {c.escalated ? <span className="mark esc">{t('queue.escalated')}</span> : null}
                </span>
                <span className="subject">
                  <Link to={`/desk/cases/${c.case_id}`}>{c.subject_key}</Link>
                </span>
                <span>
                  {label(c.category)} · {c.jurisdiction}
                </span>
                <span>{c.notice_count}</span>
                <span>
                  {c.held_by_me ? (
                    <span className="muted">{t('queue.yours')}</span>
                  ) : (
                    <button type="button" onClick={() => void claim(c.case_id)}>
                      {t('case.claim')}
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
