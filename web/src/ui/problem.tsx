import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

/** An API refusal as the user reads it: the detail, and each field at fault. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiError))
    return (
      <p role="alert" className="error">
        {t('common.failed')}
      </p>
    );
  const p = error.problem;
  return (
    <div role="alert" className="error">
      <strong>{p.title}</strong>
      {p.detail ? <span>: {p.detail}</span> : null}
      {p.errors?.length ? (
        <ul>
          {p.errors.map((e) => (
            <li key={`${e.pointer}:${e.detail}`}>
              <code>{e.pointer}</code> {e.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
