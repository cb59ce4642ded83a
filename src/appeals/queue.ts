import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { activeReviewer, assertMayWork, mayWork, seesWholeQueue } from '../cases/queue.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { APPEAL_LEASE_MS, tookPartIn, undecidedAppealStatuses } from './rules.ts';

/**
 * The appeal queue and its leases, as for cases: oldest appeal first (DSA Art. 20(4) asks
 * for timely decisions; an appeal has no deadline of its own yet: docs/conformance.md,
 * AP-2), claimed under a 5-minute lease, reassigned by a lead. Appeals route like their
 * cases, to reviewers of the jurisdiction who speak its language, and never to whoever made
 * or approved the decision under appeal (DSA Art. 20(4)-(6)).
 */
export async function listAppeals(db: Db, actor: Actor, filter: { limit: number }, now: Date) {
  let query = db
    .selectFrom('appeals')
    .innerJoin('decisions', 'decisions.id', 'appeals.decision_id')
    .innerJoin('cases', 'cases.id', 'appeals.case_id')
    .select([
      'appeals.id',
      'appeals.case_id',
      'appeals.decision_id',
      'appeals.appellant_type',
      'appeals.notice_id',
      'appeals.grounds',
      'appeals.status',
      'appeals.assigned_to',
      'appeals.lease_until',
      'appeals.created_at',
      'decisions.outcome as decision_outcome',
      'decisions.decided_by',
      'decisions.approved_by',
      'decisions.created_at as decided_at',
      'cases.subject',
      'cases.subject_key',
      'cases.jurisdiction',
      'cases.language',
      'cases.category',
    ])
    .where('appeals.status', 'in', undecidedAppealStatuses)
    .orderBy('appeals.created_at')
    .orderBy('appeals.id')
    .limit(filter.limit);
  if (!seesWholeQueue(actor)) {
    query = query
      .where((eb) =>
        eb.or([
          eb('appeals.status', '=', 'open'),
          // A lease that ran out puts the appeal back in line.
          eb('appeals.lease_until', '<', now),
          eb('appeals.assigned_to', '=', actor.id),
        ]),
      )
      .where('decisions.decided_by', '<>', actor.id)
      .where((eb) =>
        eb.or([eb('decisions.approved_by', 'is', null), eb('decisions.approved_by', '<>', actor.id)]),
      )
      .where('cases.jurisdiction', 'in', actor.jurisdictions.length ? [...actor.jurisdictions] : ['--'])
      .where('cases.language', 'in', actor.languages.length ? [...actor.languages] : ['--']);
  }
  const rows = await query.execute();
  return rows.map(({ decided_by, approved_by, ...row }) => ({
    ...row,
    decided_by,
    may_decide: !tookPartIn({ decided_by, approved_by }, actor.id),
    held_by_me: row.assigned_to === actor.id && row.lease_until !== null && row.lease_until > now,
  }));
}

/** Reads an undecided appeal and locks it, after locking its case: the order every appeal command takes. */
export async function lockAppeal(trx: Db, appealId: string) {
  const found = await trx
    .selectFrom('appeals')
    .select('case_id')
    .where('id', '=', appealId)
    .executeTakeFirst();
  if (!found) throw notFound(`no appeal ${appealId}`);
  const current = await lockCase(trx, found.case_id);
  const appeal = await trx
    .selectFrom('appeals')
    .selectAll()
    .where('id', '=', appealId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const decision = await trx
    .selectFrom('decisions')
    .select(['id', 'decided_by', 'approved_by', 'outcome'])
    .where('id', '=', appeal.decision_id)
    .executeTakeFirstOrThrow();
  if (appeal.status === 'decided')
    throw conflict(`the appeal was decided on ${appeal.decided_at?.toISOString()}: ${appeal.outcome}`);
  return { current, appeal, decision };
}

export const differentReviewer =
  'you made or approved the decision under appeal; a different reviewer decides the appeal (DSA Art. 20(4)-(6))';

export async function claimAppeal(
  db: Db,
  actor: Actor,
  appealId: string,
  now: Date,
  leaseMs = APPEAL_LEASE_MS,
) {
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, actor.id)) throw forbidden(differentReviewer);
    if (!mayWork(actor, current))
      throw forbidden(
        `this appeal is for reviewers of ${current.jurisdiction} who speak '${current.language}'`,
      );
    if (
      appeal.assigned_to &&
      appeal.assigned_to !== actor.id &&
      appeal.lease_until &&
      appeal.lease_until > now
    ) {
      throw conflict(`another reviewer holds this appeal until ${appeal.lease_until.toISOString()}`, {
        lease_until: appeal.lease_until,
      });
    }
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const renewed = appeal.assigned_to === actor.id && appeal.status === 'in_review';
    const updated = await trx
      .updateTable('appeals')
      .set({ status: 'in_review', assigned_to: actor.id, lease_until: leaseUntil })
      .where('id', '=', appealId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'appeal_claimed',
        data: {
          appeal_id: appealId,
          lease_until: leaseUntil,
          ...(renewed ? { renewed: true } : {}),
          ...(appeal.assigned_to && appeal.assigned_to !== actor.id
            ? { lease_expired_for: appeal.assigned_to }
            : {}),
        },
      },
      now,
    );
    return updated;
  });
}

/** A lead hands an appeal to a reviewer who can work it and took no part in the decision. */
export async function reassignAppeal(
  db: Db,
  actor: Actor,
  appealId: string,
  reviewerId: string,
  now: Date,
  leaseMs = APPEAL_LEASE_MS,
) {
  const reviewer = await activeReviewer(db, reviewerId, 'appeal');
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, reviewerId)) {
      throw invalid(
        'that reviewer made or approved the decision under appeal; choose a different reviewer (DSA Art. 20(4)-(6))',
        [{ pointer: '/reviewer_id', detail: 'took part in the decision' }],
      );
    }
    assertMayWork(reviewer, current, 'appeal');
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const updated = await trx
      .updateTable('appeals')
      .set({ status: 'in_review', assigned_to: reviewerId, lease_until: leaseUntil })
      .where('id', '=', appealId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'appeal_reassigned',
        data: { appeal_id: appealId, from: appeal.assigned_to, to: reviewerId, lease_until: leaseUntil },
      },
      now,
    );
    return updated;
  });
}
