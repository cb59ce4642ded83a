import { sql } from 'kysely';
import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { activeReviewer, assertMayWork, mayWork, seesWholeQueue } from '../cases/queue.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { toView } from '../deadlines/deadline-clock.ts';
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
export async function listAppeals(
  db: Db,
  actor: Actor,
  filter: { limit: number },
  now: Date,
  thresholds: readonly number[],
) {
  let query = db
    .selectFrom('appeals')
    .innerJoin('decisions', 'decisions.id', 'appeals.decision_id')
    .innerJoin('cases', 'cases.id', 'appeals.case_id')
    // DSA Art. 20(4): each appeal has its clock (src/deadlines/); appeals lodged before it have none.
    .leftJoin('deadline_clocks', (join) =>
      join
        .onRef('deadline_clocks.subject_id', '=', 'appeals.id')
        .on('deadline_clocks.subject_type', '=', 'appeal'),
    )
    .select([
      'deadline_clocks.started_at as clock_started_at',
      'deadline_clocks.hours as clock_hours',
      'deadline_clocks.due_at',
      'deadline_clocks.stopped_at as clock_stopped_at',
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
    .orderBy(sql`deadline_clocks.due_at asc nulls last`)
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
  return rows.map(({ decided_by, approved_by, clock_started_at, clock_hours, clock_stopped_at, ...row }) => ({
    ...row,
    deadline: appealDeadlineView(
      { started_at: clock_started_at, hours: clock_hours, due_at: row.due_at, stopped_at: clock_stopped_at },
      thresholds,
      now,
    ),
    decided_by,
    may_decide: !tookPartIn({ decided_by, approved_by }, actor.id),
    held_by_me: row.assigned_to === actor.id && row.lease_until !== null && row.lease_until > now,
  }));
}

function appealDeadlineView(
  clock: { started_at: Date | null; hours: number | null; due_at: Date | null; stopped_at: Date | null },
  thresholds: readonly number[],
  now: Date,
) {
  if (!clock.started_at || clock.hours === null || !clock.due_at) return null;
  return toView(
    { started_at: clock.started_at, hours: clock.hours, due_at: clock.due_at, stopped_at: clock.stopped_at },
    thresholds,
    now,
  );
}

/** One appeal as the desk shows it, with its clock (DSA Art. 20(4)). */
export async function appealView(db: Db, appealId: string, now: Date, thresholds: readonly number[]) {
  const row = await db
    .selectFrom('appeals')
    .innerJoin('decisions', 'decisions.id', 'appeals.decision_id')
    .innerJoin('cases', 'cases.id', 'appeals.case_id')
    .leftJoin('deadline_clocks', (join) =>
      join
        .onRef('deadline_clocks.subject_id', '=', 'appeals.id')
        .on('deadline_clocks.subject_type', '=', 'appeal'),
    )
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
      'appeals.decided_by',
      'appeals.decided_at',
      'appeals.outcome',
      'appeals.reasons',
      'decisions.outcome as decision_outcome',
      'cases.jurisdiction',
      'cases.language',
      'cases.category',
      'deadline_clocks.started_at as clock_started_at',
      'deadline_clocks.hours as clock_hours',
      'deadline_clocks.due_at',
      'deadline_clocks.stopped_at as clock_stopped_at',
    ])
    .where('appeals.id', '=', appealId)
    .executeTakeFirst();
  if (!row) throw notFound(`no appeal ${appealId}`);
  const { clock_started_at, clock_hours, clock_stopped_at, ...appeal } = row;
  return {
    ...appeal,
    deadline: appealDeadlineView(
      { started_at: clock_started_at, hours: clock_hours, due_at: row.due_at, stopped_at: clock_stopped_at },
      thresholds,
      now,
    ),
  };
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
