import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { conflict, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { type Actor, type SystemActor, seesAllOrganisations } from './actor.ts';
import { assertManages, assertManagesRecord, findOrganisation } from './organisations.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { type Role, rolesForOrgKind } from './permissions.ts';

export interface NewUser {
  org: string;
  email: string;
  display_name: string;
  roles: Role[];
  languages?: string[] | undefined;
  jurisdictions?: string[] | undefined;
  /** When absent a password is generated and returned once. */
  password?: string | undefined;
}

export interface UserView {
  id: string;
  org_id: string;
  org: string;
  email: string;
  display_name: string;
  roles: string[];
  languages: string[];
  jurisdictions: string[];
  disabled: boolean;
  created_at: Date;
}

export async function createUser(
  db: Db,
  actor: Actor | SystemActor,
  input: NewUser,
  now: Date,
): Promise<{ user: UserView; password: string | null }> {
  const org = await findOrganisation(db, input.org);
  assertManages(actor, org.id);
  const allowed = rolesForOrgKind(org.kind);
  const wrong = input.roles.filter((role) => !allowed.includes(role));
  if (wrong.length > 0) {
    throw invalid(
      `a user of a ${org.kind} organisation cannot hold ${wrong.join(', ')}; allowed: ${allowed.join(', ')}`,
      [{ pointer: '/roles', detail: `not allowed for a ${org.kind} organisation: ${wrong.join(', ')}` }],
    );
  }
  const generated = input.password === undefined ? generatePassword() : null;
  const user = {
    id: newId(),
    org_id: org.id,
    email: input.email.toLowerCase(),
    display_name: input.display_name,
    password_hash: await hashPassword(input.password ?? generated!),
    roles: input.roles,
    languages: input.languages ?? [],
    jurisdictions: input.jurisdictions ?? [],
    created_at: now,
  };
  await transact(db, async (trx) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', user.email)
      .executeTakeFirst();
    if (taken) throw conflict(`a user with e-mail ${user.email} already exists`);
    await trx.insertInto('users').values(user).execute();
    const { password_hash: _, ...change } = user;
    await appendAudit(
      trx,
      actor,
      { action: 'user.created', objectType: 'user', objectId: user.id, change },
      now,
    );
  });
  return {
    user: { ...user, org: org.slug, disabled: false },
    password: generated,
  };
}

export async function listUsers(db: Db, actor: Actor, orgSlug?: string): Promise<UserView[]> {
  let query = db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'users.id',
      'users.org_id',
      'organisations.slug as org',
      'users.email',
      'users.display_name',
      'users.roles',
      'users.languages',
      'users.jurisdictions',
      'users.disabled_at',
      'users.created_at',
    ])
    .orderBy('users.email');
  if (!seesAllOrganisations(actor)) query = query.where('users.org_id', '=', actor.orgId);
  if (orgSlug) query = query.where('organisations.slug', '=', orgSlug);
  const rows = await query.execute();
  return rows.map(({ disabled_at, ...row }) => ({ ...row, disabled: disabled_at !== null }));
}

export async function disableUser(
  db: Db,
  actor: Actor | SystemActor,
  userId: string,
  now: Date,
): Promise<void> {
  await transact(db, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'org_id', 'roles', 'disabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw notFound(`no user with id ${userId}`);
    assertManagesRecord(actor, user.org_id, `no user with id ${userId}`);
    // An organisation never loses its last administrator by a user's hand: nobody would be
    // left to manage its users and keys (the CLI, run by the operator, still can).
    const adminRole = user.roles.includes('flagger_admin')
      ? 'flagger_admin'
      : user.roles.includes('admin')
        ? 'admin'
        : null;
    if (actor.type !== 'system' && adminRole && !user.disabled_at) {
      const others = await trx
        .selectFrom('users')
        .select('id')
        .where('org_id', '=', user.org_id)
        .where('id', '<>', userId)
        .where('disabled_at', 'is', null)
        .where(sql<boolean>`${adminRole} = any(roles)`)
        .executeTakeFirst();
      if (!others)
        throw conflict(`this is the organisation's last ${adminRole}; give the role to someone else first`);
    }
    await trx.updateTable('users').set({ disabled_at: now }).where('id', '=', userId).execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'user.disabled', objectType: 'user', objectId: userId, change: { disabled_at: now } },
      now,
    );
  });
}
