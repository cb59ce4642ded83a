import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, query } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

interface Entry {
  seq: number;
  at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string;
  hash: string;
}

/** The hash-chained audit log, oldest first, with a walk of the chain on request. */
export function AuditLog() {
  const { t } = useTranslation();
  const entries = useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      get<{ items: Entry[]; next_after: number | null }>(
        `/v1/audit${query({ after: pageParam || undefined, limit: 200 })}`,
      ),
    getNextPageParam: (last) => last.next_after ?? undefined,
  });
  const verify = useQuery({
    queryKey: ['audit-verify'],
    queryFn: () =>
      get<{ ok: boolean; checked: number; fault: { seq: number; problem: string; detail: string } | null }>(
        '/v1/audit/verify',
      ),
    enabled: false,
  });
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div className="title-row">
        <h1 id="audit-title">{t('audit.title')}</h1>
        <button type="button" onClick={() => void verify.refetch()}>
          {t('audit.verify')}
        </button>
      </div>
      {verify.data ? (
        <p role="status" className={verify.data.ok ? 'ok' : 'error'} data-testid="audit-verify">
          {verify.data.ok
            ? t('audit.ok', { n: verify.data.checked })
            : t('audit.broken', { seq: verify.data.fault?.seq, detail: verify.data.fault?.detail })}
        </p>
      ) : null}
      <ProblemMessage error={entries.error ?? verify.error} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.object')}</th>
            <th scope="col">{t('audit.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>
                <DateTime value={e.at} />
              </td>
              <td>{e.actor_type}</td>
              <td>{e.action}</td>
              <td>
                {e.object_type} <code>{e.object_id.slice(0, 8)}</code>
              </td>
              <td>
                <code>{e.hash.slice(0, 12)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.hasNextPage ? (
        <button type="button" onClick={() => void entries.fetchNextPage()}>
          {t('common.more')}
        </button>
      ) : null}
    </section>
  );
}
