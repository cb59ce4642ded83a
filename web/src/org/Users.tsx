import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
// Roles a user may hold depend on the organisation's kind; the server refuses the rest too.
import { type OrgKind, rolesForOrgKind } from '../../../src/identity/permissions.ts';
import { get, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime } from '../ui/time.tsx';

interface User {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  languages: string[];
  jurisdictions: string[];
  disabled: boolean;
  created_at: string;
}

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** An organisation's users: create one (a generated password shown once), disable. */
export function Users({ org, kind, canWrite }: { org: string; kind: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const allowed = rolesForOrgKind(kind as OrgKind);
  const users = useQuery({
    queryKey: ['users', org],
    queryFn: async () => (await get<{ items: User[] }>(`/v1/users?org=${org}`)).items,
  });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [languages, setLanguages] = useState('id');
  const [jurisdictions, setJurisdictions] = useState(kind === 'platform' ? 'ID' : '');
  const [password, setPassword] = useState<{ email: string; password: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = await post<{ user: User; password: string | null }>('/v1/users', {
        org,
        email,
        display_name: name,
        roles,
        languages: list(languages),
        jurisdictions: list(jurisdictions).map((j) => j.toUpperCase()),
      });
      if (made.password) setPassword({ email: made.user.email, password: made.password });
      setEmail('');
      setName('');
      setRoles([]);
      await client.invalidateQueries({ queryKey: ['users', org] });
    } catch (err) {
      setError(err);
    }
  };
  const disable = async (id: string) => {
    setError(null);
    try {
      await post(`/v1/users/${id}/disable`);
      await client.invalidateQueries({ queryKey: ['users', org] });
    } catch (err) {
      setError(err);
    }
  };
  const toggle = (role: string) =>
    setRoles((r) => (r.includes(role) ? r.filter((x) => x !== role) : [...r, role]));

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t('users.title', { org })}</h2>
      {canWrite ? (
        <form className="card" onSubmit={create}>
          <div className="two">
            <label>
              {t('users.email')}
              <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              {t('users.name')}
              <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
            </label>
          </div>
          <fieldset>
            <legend>{t('users.roles')}</legend>
            {allowed.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" checked={roles.includes(r)} onChange={() => toggle(r)} />{' '}
                {t(`role.${r}`)}
              </label>
            ))}
          </fieldset>
          <div className="two">
            <label>
              {t('users.languages')}
              <input value={languages} onChange={(e) => setLanguages(e.target.value)} />
            </label>
            {kind === 'platform' ? (
              <label>
                {t('users.jurisdictions')}
                <input value={jurisdictions} onChange={(e) => setJurisdictions(e.target.value)} />
              </label>
            ) : null}
          </div>
          <ProblemMessage error={error} />
          <button type="submit" className="primary" disabled={roles.length === 0}>
            {t('users.create')}
          </button>
        </form>
      ) : (
        <ProblemMessage error={error} />
      )}
      {password ? (
        <div className="card once" role="status" data-testid="new-password">
          <p>
            <strong>{t('users.passwordOnce', { email: password.email })}</strong>
          </p>
          <code className="secret">{password.password}</code>
          <p>
            <button type="button" onClick={() => setPassword(null)}>
              {t('common.dismiss')}
            </button>
          </p>
        </div>
      ) : null}
      <QueryState query={users} empty={t('users.none')} isEmpty={users.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.roles')}</th>
              <th scope="col">{t('users.jurisdictions')}</th>
              <th scope="col">{t('bulk.status')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} data-testid="user" className={u.disabled ? 'muted' : ''}>
                <td className="free-text">
                  {u.display_name}
                  <div className="muted">{u.email}</div>
                </td>
                <td>{u.roles.map((r) => t(`role.${r}`, { defaultValue: r })).join(', ')}</td>
                <td>{u.jurisdictions.join(', ') || '—'}</td>
                <td>
                  {u.disabled ? t('users.disabled') : t('webhooks.active')} <DateTime value={u.created_at} />
                </td>
                <td>
                  {canWrite && !u.disabled ? (
                    <button type="button" onClick={() => void disable(u.id)}>
                      {t('users.disable')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}
