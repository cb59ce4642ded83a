import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
// One table of who may hold what: the scopes a key of this kind of organisation may carry.
import { keyScopesForOrgKind, type OrgKind } from '../../../src/identity/permissions.ts';
import { get, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime, endOfDay } from '../ui/time.tsx';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
  last_used_at: string | null;
}

/** An organisation's API keys: create one (the key is shown once, here), list, revoke. */
export function ApiKeys({ org, kind }: { org: string; kind: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const allowed = keyScopesForOrgKind(kind as OrgKind);
  const keys = useQuery({
    queryKey: ['keys', org],
    queryFn: async () => (await get<{ items: ApiKey[] }>(`/v1/orgs/${org}/keys`)).items,
  });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...allowed]);
  const [expires, setExpires] = useState('');
  const [shown, setShown] = useState<{ key: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = await post<{ key: string; api_key: ApiKey }>(`/v1/orgs/${org}/keys`, {
        name,
        scopes,
        ...(expires ? { expires_at: endOfDay(expires) } : {}),
      });
      setShown({ key: made.key, name: made.api_key.name });
      setName('');
      await client.invalidateQueries({ queryKey: ['keys', org] });
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await post(`/v1/keys/${id}/revoke`);
      await client.invalidateQueries({ queryKey: ['keys', org] });
    } catch (err) {
      setError(err);
    }
  };
  const toggle = (scope: string) =>
    setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title', { org })}</h2>
      <form className="card" onSubmit={create}>
        <label>
          {t('keys.name')}
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset>
          <legend>{t('keys.scopes')}</legend>
          {allowed.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />{' '}
              <code>{s}</code> {t(`scope.${s.replace(':', '_')}`, { defaultValue: '' })}
            </label>
          ))}
        </fieldset>
        <label>
          {t('keys.expires')}
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <ProblemMessage error={error} />
        <button type="submit" className="primary" disabled={scopes.length === 0}>
          {t('keys.create')}
        </button>
      </form>
      {shown ? (
        <div className="card once" role="status" data-testid="new-key">
          <p>
            <strong>{t('keys.once', { name: shown.name })}</strong>
          </p>
          <code className="secret">{shown.key}</code>
          <p>
            <button type="button" onClick={() => setShown(null)}>
              {t('common.dismiss')}
            </button>
          </p>
        </div>
      ) : null}
      <QueryState query={keys} empty={t('keys.none')} isEmpty={keys.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('keys.name')}</th>
              <th scope="col">{t('keys.prefix')}</th>
              <th scope="col">{t('keys.scopes')}</th>
              <th scope="col">{t('keys.lastUsed')}</th>
              <th scope="col">{t('bulk.status')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {keys.data?.map((k) => (
              <tr key={k.id} data-testid="api-key">
                <td className="free-text">{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>
                  <DateTime value={k.last_used_at} />
                </td>
                <td>
                  {k.revoked_at ? (
                    <>
                      {t('keys.revoked')} <DateTime value={k.revoked_at} />
                    </>
                  ) : k.expires_at ? (
                    <>
                      {t('keys.until')} <DateTime value={k.expires_at} />
                    </>
                  ) : (
                    t('webhooks.active')
                  )}
                </td>
                <td>
                  {k.revoked_at ? null : (
                    <button type="button" onClick={() => void revoke(k.id)}>
                      {t('keys.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}
