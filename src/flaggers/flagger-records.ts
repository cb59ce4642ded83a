import { notFound } from '../core/errors.ts';
import type { Organisation } from '../identity/organisations.ts';
import type { Db } from '../store/db.ts';
import { type FlaggerFacts, isFlaggerStatus } from './status.ts';

/**
 * Reading a flagger organisation and what its governance has recorded: status changes
 * (DSA Art. 22(2): the status "with dates and who decided it") and warnings (Art. 23(2)).
 */
export type FlaggerOrganisation = Organisation & {
  flagger_status: NonNullable<Organisation['flagger_status']>;
};

export async function findFlagger(
  db: Db,
  slug: string,
  options: { forUpdate?: boolean } = {},
): Promise<FlaggerOrganisation> {
  let query = db.selectFrom('organisations').selectAll().where('slug', '=', slug);
  if (options.forUpdate) query = query.forUpdate();
  const org = await query.executeTakeFirst();
  if (!org || !isFlaggerStatus(org.flagger_status))
    throw notFound(`no flagger organisation with slug '${slug}'`);
  return org as FlaggerOrganisation;
}

export async function listFlaggers(db: Db): Promise<FlaggerOrganisation[]> {
  const orgs = await db
    .selectFrom('organisations')
    .selectAll()
    .where('flagger_status', 'is not', null)
    .orderBy('slug')
    .execute();
  return orgs.filter((o): o is FlaggerOrganisation => isFlaggerStatus(o.flagger_status));
}

export async function statusHistory(db: Db, orgId: string) {
  const rows = await db
    .selectFrom('flagger_status_changes')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('effective_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    effective_at: new Date(r.effective_at),
    until: r.until === null ? null : new Date(r.until),
  }));
}

export async function warningsOf(db: Db, orgId: string) {
  const rows = await db
    .selectFrom('flagger_warnings')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** What the status rules (src/flaggers/status.ts) need to know of a flagger. */
export async function flaggerFacts(db: Db, org: FlaggerOrganisation): Promise<FlaggerFacts> {
  const [warning, suspension] = await Promise.all([
    db
      .selectFrom('flagger_warnings')
      .select('at')
      .where('org_id', '=', org.id)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('flagger_status_changes')
      .select('effective_at')
      .where('org_id', '=', org.id)
      .where('to_status', '=', 'suspended')
      .where((eb) => eb.or([eb('from_status', 'is', null), eb('from_status', '!=', 'suspended')]))
      .orderBy('effective_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    flagger_status: org.flagger_status,
    designated_by: org.designated_by,
    designated_categories: org.designated_categories,
    designated_jurisdictions: org.designated_jurisdictions,
    suspended_until: org.suspended_until === null ? null : new Date(org.suspended_until),
    last_warning_at: warning ? new Date(warning.at) : null,
    last_suspension_at: suspension ? new Date(suspension.effective_at) : null,
  };
}
