import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import type { OrganisationsTable } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import type { Actor, SystemActor } from './actor.ts';
import type { OrgKind } from './permissions.ts';

export type Organisation = Selectable<OrganisationsTable>;
export type FlaggerStatus = 'trusted' | 'regular' | 'suspended';

export interface NewOrganisation {
  slug: string;
  name: string;
  kind: OrgKind;
  flagger_status?: FlaggerStatus | undefined;
  /** Who designated a trusted flagger (DSA Art. 22(2)); required with flagger_status trusted. */
  designated_by?: string | undefined;
  contact_email?: string | null | undefined;
}

export async function createOrganisation(
  db: Db,
  actor: Actor | SystemActor,
  input: NewOrganisation,
  now: Date,
): Promise<Organisation> {
  // Trusted status is a designation: without the designating authority it is not given.
  // (Through the API an organisation starts regular; POST /v1/flaggers/{slug}/status decides.)
  if (input.flagger_status === 'trusted' && !input.designated_by?.trim())
    throw invalid('a trusted flagger needs the authority that designated it (DSA Art. 22(2))', [
      { pointer: '/designated_by', detail: 'required when flagger_status is trusted' },
    ]);
  const org: Organisation = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    // Flagger organisations start as regular notifiers; trusted status is a decision (DSA Art. 22).
    flagger_status: input.kind === 'platform' ? null : (input.flagger_status ?? 'regular'),
    contact_email: input.contact_email ?? null,
    designated_categories: [],
    designated_jurisdictions: [],
    rate_limit_per_minute: null,
    designated_by: input.flagger_status === 'trusted' ? input.designated_by!.trim() : null,
    status_since: input.kind === 'platform' ? null : now,
    suspended_until: null,
    created_at: now,
  };
  return transact(db, async (trx) => {
    const existing = await trx
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (existing) throw conflict(`an organisation with slug '${input.slug}' already exists`);
    await trx.insertInto('organisations').values(org).execute();
    await appendAudit(
      trx,
      actor,
      { action: 'organisation.created', objectType: 'organisation', objectId: org.id, change: org },
      now,
    );
    return org;
  });
}

export async function findOrganisation(db: Db, slug: string): Promise<Organisation> {
  const org = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!org) throw notFound(`no organisation with slug '${slug}'`);
  return org;
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return db.selectFrom('organisations').selectAll().orderBy('slug').execute();
}

/**
 * Platform admins manage every organisation; a flagger_admin manages its own. The CLI
 * runs as the system, with the database in hand.
 */
export function assertManages(actor: Actor | SystemActor, orgId: string): void {
  if (actor.type === 'system') return;
  if (actor.orgKind === 'platform' && actor.roles.includes('admin')) return;
  if (actor.orgId === orgId && actor.roles.includes('flagger_admin')) return;
  throw forbidden('you may manage only your own organisation');
}

/**
 * For a record of an organisation (a user, a key) named by id: a caller who may not see that
 * organisation hears that there is no such record, the same answer as for an id that does
 * not exist, so that ids of other organisations cannot be probed (404, not 403).
 */
export function assertManagesRecord(actor: Actor | SystemActor, orgId: string, missing: string): void {
  if (actor.type !== 'system' && actor.orgKind !== 'platform' && actor.orgId !== orgId)
    throw notFound(missing);
  assertManages(actor, orgId);
}
