import { cliActor } from '../../src/identity/actor.ts';
import { createApiKey } from '../../src/identity/api-keys.ts';
import type { Role } from '../../src/identity/permissions.ts';
import { createUser } from '../../src/identity/users.ts';
import type { Caller, TestApp } from './app.ts';

/**
 * One caller per role (a user holding exactly that role), one API key per kind of
 * organisation with its default scopes, and nobody.
 */
export const principalNames = [
  'anonymous',
  'admin',
  'lead',
  'reviewer',
  'auditor',
  'flagger_admin',
  'flagger',
  'platform_key',
  'flagger_key',
] as const;
export type PrincipalName = (typeof principalNames)[number];

const roleOrg: Record<Role, string> = {
  admin: 'platform',
  lead: 'platform',
  reviewer: 'platform',
  auditor: 'platform',
  flagger_admin: 'komdigi',
  flagger: 'komdigi',
};

export async function createPrincipals(app: TestApp): Promise<Record<PrincipalName, Caller>> {
  const now = app.clock();
  const callers: Partial<Record<PrincipalName, Caller>> = { anonymous: null };
  for (const [role, org] of Object.entries(roleOrg) as [Role, string][]) {
    const email = `only-${role}@${org}.example`;
    await createUser(
      app.ctx.db,
      cliActor,
      {
        org,
        email,
        display_name: `Only ${role}`,
        roles: [role],
        password: 'tapis-demo-2026',
        languages: ['id', 'en'],
        jurisdictions: ['ID'],
      },
      now,
    );
    callers[role] = await app.loginAs(email);
  }
  callers.platform_key = {
    key: (await createApiKey(app.ctx.db, cliActor, { org: 'platform', name: 'matrix' }, now)).key,
  };
  callers.flagger_key = {
    key: (await createApiKey(app.ctx.db, cliActor, { org: 'komdigi', name: 'matrix' }, now)).key,
  };
  return callers as Record<PrincipalName, Caller>;
}
