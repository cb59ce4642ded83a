import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { can, type Me } from '../session.tsx';
import { QueryState } from '../ui/states.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { Users } from './Users.tsx';

interface Org {
  slug: string;
  name: string;
  kind: string;
}

/**
 * Users and API keys. An admin picks any organisation; a flagger_admin has its own only
 * (the API refuses another's), so the picker is not shown.
 */
export function OrgAdmin({ me, show }: { me: Me; show: 'users' | 'keys' }) {
  const { t } = useTranslation();
  const global = can(me, 'orgs:read');
  const orgs = useQuery({
    queryKey: ['orgs'],
    queryFn: async () => (await get<{ items: Org[] }>('/v1/orgs')).items,
    enabled: global,
  });
  const [slug, setSlug] = useState(me.org.slug);
  const org = global
    ? orgs.data?.find((o) => o.slug === slug)
    : { slug: me.org.slug, kind: me.org.kind, name: '' };
  return (
    <section aria-labelledby="org-admin-title">
      <h1 id="org-admin-title">{show === 'users' ? t('users.heading') : t('keys.heading')}</h1>
      {global ? (
        <QueryState query={orgs} empty={t('users.noOrgs')} isEmpty={orgs.data?.length === 0}>
          <label>
            {t('users.org')}
            <select value={slug} onChange={(e) => setSlug(e.target.value)}>
              {orgs.data?.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name} ({t(`orgKind.${o.kind}`, { defaultValue: o.kind })})
                </option>
              ))}
            </select>
          </label>
        </QueryState>
      ) : null}
      {org ? (
        show === 'users' ? (
          <Users key={org.slug} org={org.slug} kind={org.kind} canWrite={can(me, 'users:write')} />
        ) : (
          <ApiKeys key={org.slug} org={org.slug} kind={org.kind} />
        )
      ) : null}
    </section>
  );
}
