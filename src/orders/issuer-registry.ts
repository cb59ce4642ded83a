import { appendAudit } from '../audit/log.ts';
import { conflict, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { findOrganisation } from '../identity/organisations.ts';
import type { OrderKindCode } from '../policy/channel-policy.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { appliesIn, orderKinds } from './order-kinds.ts';

/**
 * The issuer registry: an organisation may issue orders only as the authorities it is
 * registered for, in the jurisdictions and of the kinds registered with each (DSA Art. 9(2):
 * the issuing authority; TCO Art. 12: the competent authorities a member state designates).
 * Admins keep it; every change is audited. A registration is revoked, never deleted.
 */
export const ISSUER_ORG_KINDS = ['government', 'law_enforcement', 'court'];

export interface NewRegistration {
  authority: string;
  jurisdictions: string[];
  order_kinds: OrderKindCode[];
  note?: string | undefined;
}

const normalise = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export async function registerIssuer(
  db: Db,
  actor: Actor | SystemActor,
  slug: string,
  input: NewRegistration,
  now: Date,
) {
  const org = await findOrganisation(db, slug);
  if (!ISSUER_ORG_KINDS.includes(org.kind))
    throw invalid(
      `a ${org.kind} organisation cannot issue orders; register government, law-enforcement or court organisations`,
      [{ pointer: '', detail: `organisation kind ${org.kind}` }],
    );
  const issues = input.order_kinds.flatMap((code, i) => {
    const kind = orderKinds[code];
    const out = [];
    if (!kind.issuers.includes(org.kind))
      out.push({
        pointer: `/order_kinds/${i}`,
        detail: `a ${code} is issued by ${kind.issuers.join(' or ')} organisations`,
      });
    const outside = input.jurisdictions.filter((j) => !appliesIn(kind, j));
    if (outside.length > 0)
      out.push({ pointer: `/order_kinds/${i}`, detail: `a ${code} is not issued in ${outside.join(', ')}` });
    return out;
  });
  const known = await db
    .selectFrom('jurisdictions')
    .select('code')
    .where('code', 'in', input.jurisdictions)
    .execute();
  input.jurisdictions.forEach((j, i) => {
    if (!known.some((k) => k.code === j))
      issues.push({
        pointer: `/jurisdictions/${i}`,
        detail: `'${j}' is not a jurisdiction tapis handles; see GET /v1/jurisdictions`,
      });
  });
  if (issues.length > 0) throw invalid(`${issues[0]!.pointer.slice(1)}: ${issues[0]!.detail}`, issues);
  const row = {
    id: newId(),
    org_id: org.id,
    authority: input.authority,
    jurisdictions: [...new Set(input.jurisdictions)],
    order_kinds: [...new Set(input.order_kinds)],
    note: input.note ?? null,
    registered_by: actor.type === 'system' ? actor.id : actor.id,
    registered_at: now,
    revoked_at: null,
    revoked_by: null,
    revoke_reason: null,
  };
  return transact(db, async (trx) => {
    const live = await trx
      .selectFrom('issuer_registrations')
      .select(['id', 'authority'])
      .where('org_id', '=', org.id)
      .where('revoked_at', 'is', null)
      .execute();
    const same = live.find((r) => normalise(r.authority) === normalise(input.authority));
    if (same)
      throw conflict(`'${input.authority}' is already registered for ${slug}; revoke it first to change it`, {
        registration_id: same.id,
      });
    await trx.insertInto('issuer_registrations').values(row).execute();
    await appendAudit(
      trx,
      actor,
      { action: 'issuer_registration.created', objectType: 'organisation', objectId: org.id, change: row },
      now,
    );
    return { ...row, org: org.slug };
  });
}

export async function revokeRegistration(
  db: Db,
  actor: Actor | SystemActor,
  id: string,
  reason: string,
  now: Date,
) {
  return transact(db, async (trx) => {
    const row = await trx
      .selectFrom('issuer_registrations')
      .innerJoin('organisations', 'organisations.id', 'issuer_registrations.org_id')
      .selectAll('issuer_registrations')
      .select('organisations.slug as org')
      .where('issuer_registrations.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`no issuer registration ${id}`);
    if (row.revoked_at)
      throw conflict(`the registration was already revoked on ${row.revoked_at.toISOString()}`);
    const updated = { revoked_at: now, revoked_by: actor.id, revoke_reason: reason };
    await trx.updateTable('issuer_registrations').set(updated).where('id', '=', id).execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'issuer_registration.revoked',
        objectType: 'organisation',
        objectId: row.org_id,
        change: { registration_id: id, authority: row.authority, reason },
      },
      now,
    );
    return { ...row, ...updated };
  });
}

export async function listRegistrations(db: Db, slug: string) {
  const org = await findOrganisation(db, slug);
  const rows = await db
    .selectFrom('issuer_registrations')
    .selectAll()
    .where('org_id', '=', org.id)
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, org: org.slug }));
}

/**
 * The live registration an order is issued under, or why there is none: the authority
 * named in the order (compared without case or spacing), the jurisdiction, the kind.
 */
export async function registrationFor(
  db: Db,
  orgId: string,
  order: { authority: string; jurisdiction: string; orderKind: OrderKindCode },
): Promise<{ id: string } | { refusal: string }> {
  const rows = await db
    .selectFrom('issuer_registrations')
    .select(['id', 'authority', 'jurisdictions', 'order_kinds'])
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .execute();
  if (rows.length === 0)
    return {
      refusal:
        'your organisation is not registered to issue orders; ask the platform to register its authorities',
    };
  const named = rows.find((r) => normalise(r.authority) === normalise(order.authority));
  if (!named)
    return {
      refusal: `your organisation may issue orders as ${rows.map((r) => `'${r.authority}'`).join(', ')} only`,
    };
  if (!named.jurisdictions.includes(order.jurisdiction))
    return {
      refusal: `'${named.authority}' is registered for ${named.jurisdictions.join(', ')}, not ${order.jurisdiction}`,
    };
  if (!named.order_kinds.includes(order.orderKind))
    return {
      refusal: `'${named.authority}' is registered to issue ${named.order_kinds.join(', ')}, not ${order.orderKind}`,
    };
  return { id: named.id };
}
