import { useQuery, useQueryClient } from '@tanstack/react-query';
import { diffLines } from 'diff';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, put } from '../api.ts';
import { can, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';

interface Version {
  version: number;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

const pretty = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** The SOP policy: the version in force, every earlier one, a diff between two, and (admins) a new version. */
export function PolicyEditor({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useQuery({
    queryKey: ['policy'],
    queryFn: () => get<Version & { document: unknown }>('/v1/policy'),
  });
  const versions = useQuery({
    queryKey: ['policy-versions'],
    queryFn: async () => (await get<{ items: Version[] }>('/v1/policy/versions')).items,
  });
  const [compare, setCompare] = useState<number | null>(null);
  const older = useQuery({
    queryKey: ['policy-version', compare],
    queryFn: () => get<Version & { document: unknown }>(`/v1/policy/versions/${compare}`),
    enabled: compare !== null,
  });
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (current.data) setText(pretty(current.data.document));
  }, [current.data]);
  const editable = can(me, 'policy:write');

  const save = async () => {
    setError(null);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      setError(new Error(String(e)));
      return;
    }
    try {
      await put('/v1/policy', { document, note });
      setNote('');
      await client.invalidateQueries({ queryKey: ['policy'] });
      await client.invalidateQueries({ queryKey: ['policy-versions'] });
    } catch (err) {
      setError(err);
    }
  };

  const changes = older.data && current.data ? diffLines(pretty(older.data.document), text) : null;
  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">
        {t('policy.title')} {current.data ? <span className="muted">v{current.data.version}</span> : null}
      </h1>
      <ProblemMessage error={current.error ?? versions.error} />
      <div className="two">
        <div>
          <label>
            {t('policy.document')}
            <textarea
              className="code"
              rows={24}
              value={text}
              readOnly={!editable}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          {editable ? (
            <>
              <label>
                {t('policy.note')}
                <input value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
              <ProblemMessage error={error} />
              <button type="button" className="primary" disabled={!note.trim()} onClick={() => void save()}>
                {t('policy.save')}
              </button>
            </>
          ) : null}
        </div>
        <div>
          <h2>{t('policy.versions')}</h2>
          <ul className="versions">
            {versions.data?.map((v) => (
              <li key={v.version}>
                <button
                  type="button"
                  onClick={() => setCompare(v.version)}
                  aria-pressed={compare === v.version}
                >
                  v{v.version}
                </button>{' '}
                <DateTime value={v.created_at} /> <span className="free-text">{v.note ?? ''}</span>
              </li>
            ))}
          </ul>
          {changes ? (
            <>
              <h2>{t('policy.diff', { v: compare })}</h2>
              <pre className="diff" data-testid="policy-diff">
                {changes.map((part, i) => (
                  <span
                    // biome-ignore lint/suspicious/noArrayIndexKey: a diff's parts have no identity but their place
                    key={i}
                    className={part.added ? 'add' : part.removed ? 'del' : 'same'}
                  >
                    {part.value
                      .split('\n')
                      .filter((_, j, all) => j < all.length - 1 || part.value.endsWith('\n') === false)
                      .map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}\n`)
                      .join('')}
                  </span>
                ))}
              </pre>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
