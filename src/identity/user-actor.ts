import type { Db } from '../store/db.ts';
import type { Actor } from './actor.ts';
import { isRole, type OrgKind, permissionsOfRoles, type Role, rolesForOrgKind } from './permissions.ts';

/** The columns of a user and its organisation that make an actor. */
export const userActorColumns = [
  'users.id',
  'users.display_name',
  'users.roles',
  'users.languages',
  'users.jurisdictions',
  'users.disabled_at',
  'organisations.id as org_id',
  'organisations.slug as org_slug',
  'organisations.kind as org_kind',
] as const;

export interface UserActorRow {
  id: string;
  display_name: string;
  roles: string[];
  languages: string[];
  jurisdictions: string[];
  org_id: string;
  org_slug: string;
  org_kind: string;
}

/**
 * A user as a caller, the same whichever way it arrives (a console session, a linked
 * Telegram account, the demo seed). A role recorded before the organisation's kind bound it
 * (migration 0710) grants nothing.
 */
export function actorOfUser(row: UserActorRow): Actor {
  const allowed = rolesForOrgKind(row.org_kind as OrgKind);
  const roles = row.roles.filter((role): role is Role => isRole(role) && allowed.includes(role));
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

/** The actor of a user found by id or e-mail; null when there is none or it is disabled. */
export async function findUserActor(db: Db, by: { id: string } | { email: string }): Promise<Actor | null> {
  const query = db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(userActorColumns);
  const row = await ('id' in by
    ? query.where('users.id', '=', by.id)
    : query.where('users.email', '=', by.email)
  ).executeTakeFirst();
  return row && !row.disabled_at ? actorOfUser(row) : null;
}
