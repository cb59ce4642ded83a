import type { Actor } from '../identity/actor.ts';
import { isRole, type OrgKind, permissionsOfRoles, type Role } from '../identity/permissions.ts';
import type { Db } from '../store/db.ts';

/**
 * The tapis user behind a linked Telegram account, as the intake and the threads expect a
 * caller: the same shape a console session gives (src/identity/authenticate.ts). Null when
 * the user is disabled: a disabled analyst's linked phone files nothing.
 */
export async function linkedActor(db: Db, userId: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'users.id',
      'users.display_name',
      'users.roles',
      'users.languages',
      'users.jurisdictions',
      'users.disabled_at',
      'organisations.id as org_id',
      'organisations.slug as org_slug',
      'organisations.kind as org_kind',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row || row.disabled_at) return null;
  const roles = row.roles.filter(isRole) as Role[];
  return {
    type: 'user',
    id: row.id,
    displayName: row.display_name,
    orgId: row.org_id,
    orgSlug: row.org_slug,
    orgKind: row.org_kind as OrgKind,
    roles,
    permissions: permissionsOfRoles(roles),
    languages: row.languages,
    jurisdictions: row.jurisdictions,
  };
}
