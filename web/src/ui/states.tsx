import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from './problem.tsx';

/**
 * The three states every list on a screen has besides its rows: loading, failed (the API's
 * problem, with a retry) and empty (a sentence saying so, never a blank table).
 */
export function QueryState({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  empty: string;
  isEmpty: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending)
    return (
      <p className="loading" role="status">
        {t('common.loading')}
      </p>
    );
  if (query.error)
    return (
      <div>
        <ProblemMessage error={query.error} />
        <button type="button" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  if (isEmpty)
    return (
      <p className="muted empty" data-testid="empty">
        {empty}
      </p>
    );
  return <>{children}</>;
}
