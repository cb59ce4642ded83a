import { appendAudit } from '../audit/log.ts';
import { conflict, DomainError, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { type FlaggerOrganisation, findFlagger, flaggerFacts } from './flagger-records.ts';
import { type PlannedStatus, planStatusChange, type StatusChangeInput } from './status.ts';

/**
 * A change of a flagger's status is a decision with reasons and dates (DSA Art. 22(2),
 * (6)-(7); Art. 23(2)): recorded in `flagger_status_changes`, applied to the organisation
 * and audited, in one transaction.
 */
export interface StatusChange {
  id: string;
  org_id: string;
  from_status: string | null;
  to_status: string;
  reasons: string;
  decided_by: string;
  effective_at: Date;
  until: Date | null;
}

export async function changeFlaggerStatus(
  db: Db,
  actor: Actor,
  slug: string,
  input: StatusChangeInput,
  now: Date,
): Promise<StatusChange> {
  const taxonomy = (await currentPolicy(db)).document.taxonomy.map((c) => c.code);
  const unknown = (input.designated_categories ?? []).findIndex((c) => !taxonomy.includes(c));
  if (unknown >= 0) {
    throw invalid(
      `designated_categories[${unknown}]: '${input.designated_categories![unknown]}' is not in the taxonomy: ${taxonomy.join(', ')}`,
      [{ pointer: `/designated_categories/${unknown}`, detail: 'not in the taxonomy' }],
    );
  }
  return transact(db, async (trx) => {
    const org = await findFlagger(trx, slug, { forUpdate: true });
    // DSA Art. 22(7): trusted status is revoked only after the flagger is heard.
    if (org.flagger_status === 'trusted' && input.status === 'regular')
      throw conflict(
        `revoking ${slug}'s trusted status needs a hearing first: POST /v1/flaggers/${slug}/hearings, then decide it`,
      );
    const planned = planStatusChange(await flaggerFacts(trx, org), input, now);
    if (planned instanceof DomainError) throw planned;
    return applyStatus(trx, actor, org, planned, input.reasons, now);
  });
}

/** Writes a planned status, its record and its audit entry, in the caller's transaction. */
export async function applyStatus(
  trx: Db,
  actor: Actor | SystemActor,
  org: FlaggerOrganisation,
  planned: PlannedStatus,
  reasons: string,
  now: Date,
): Promise<StatusChange> {
  const change: StatusChange = {
    id: newId(),
    org_id: org.id,
    from_status: planned.from,
    to_status: planned.to,
    reasons,
    decided_by: actor.id,
    effective_at: now,
    until: planned.suspended_until,
  };
  await trx.insertInto('flagger_status_changes').values(change).execute();
  await trx
    .updateTable('organisations')
    .set({
      flagger_status: planned.to,
      status_since: now,
      designated_by: planned.designated_by,
      designated_categories: planned.designated_categories,
      designated_jurisdictions: planned.designated_jurisdictions,
      suspended_until: planned.suspended_until,
    })
    .where('id', '=', org.id)
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'flagger.status_changed',
      objectType: 'organisation',
      objectId: org.id,
      change: {
        ...change,
        slug: org.slug,
        designated_by: planned.designated_by,
        designated_categories: planned.designated_categories,
        designated_jurisdictions: planned.designated_jurisdictions,
      },
    },
    now,
  );
  return change;
}
