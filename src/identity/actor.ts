import type { OrgKind, Permission, Role } from './permissions.ts';

/** Who is calling: a console user (by session) or an organisation's system (by API key). */
export interface Actor {
  type: 'user' | 'key';
  id: string;
  displayName: string;
  orgId: string;
  orgSlug: string;
  orgKind: OrgKind;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  languages: readonly string[];
  jurisdictions: readonly string[];
  /** Set for console sessions: cookie-authenticated changes need the CSRF token. */
  sessionId?: string;
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/**
 * Platform staff see every organisation's records; flaggers only their own. An auditor of a
 * flagger organisation cannot exist (src/identity/permissions.ts, rolesForOrgKind).
 */
export function seesAllOrganisations(actor: Actor): boolean {
  return actor.orgKind === 'platform';
}

/** The system itself, for scheduled jobs and the CLI. */
export interface SystemActor {
  type: 'system';
  id: string;
}

export const cliActor: SystemActor = { type: 'system', id: 'cli' };
export const workerActor: SystemActor = { type: 'system', id: 'worker' };
