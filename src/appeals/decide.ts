import type { Updateable } from 'kysely';
import { recordCaseEvent } from '../cases/case-events.ts';
import { assertRoutedTo } from '../cases/queue.ts';
import { conflict, forbidden } from '../core/errors.ts';
import { stopDeadline } from '../deadlines/deadline-clock.ts';
import { scheduleReverts } from '../enforcement/jobs.ts';
import { markPrecisionDue } from '../flaggers/precision-review.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import type { CasesTable } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { revokeStrikes } from '../strikes/repeat-infringers.ts';
import { tellNotifiers } from './notify.ts';
import { differentReviewer, lockAppeal } from './queue.ts';
import { type AppealOutcome, inFlight, statusAfterAppeal, tookPartIn } from './rules.ts';

/**
 * Deciding an appeal. `upheld`: the appellant was right. An affected user's appeal reverses
 * the decision: every applied, revertible action is reverted through its connector
 * (TCO Art. 10(2): the content is reinstated), the case's outcome becomes `reverted`, so the
 * subject is no longer "already actioned". A notifier's appeal against a decision not to act
 * sends the case back to the queue for a new decision. `rejected`: the decision stands.
 * Either way the reasons go back to the appellant (DSA Art. 20(5)): at the statement's link
 * for the affected user, as a notice.appeal_decided event for the notifier, and into the
 * audit log with the case event. Everything is written in one transaction.
 */
export interface AppealDecisionInput {
  outcome: AppealOutcome;
  reasons: string;
}

export async function decideAppeal(
  db: Db,
  actor: Actor,
  appealId: string,
  input: AppealDecisionInput,
  now: Date,
) {
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, actor.id)) throw forbidden(differentReviewer);
    // Checked again at the decision: a reviewer's coverage may have changed since the claim.
    assertRoutedTo(actor, current, 'appeal');
    if (
      appeal.status !== 'in_review' ||
      appeal.assigned_to !== actor.id ||
      !appeal.lease_until ||
      appeal.lease_until <= now
    ) {
      throw conflict(
        'claim the appeal first (POST /v1/appeals/{id}/claim); your lease is missing or has run out',
      );
    }
    const actions = await trx
      .selectFrom('enforcement_actions')
      .select(['id', 'type', 'status'])
      .where('decision_id', '=', decision.id)
      .execute();
    const appellant = appeal.appellant_type;
    const upheld = input.outcome === 'upheld';

    let reverts = 0;
    let cancelled = 0;
    if (upheld && appellant === 'affected_user') {
      const flying = inFlight(actions);
      if (flying.length > 0) {
        throw conflict(
          `the decision is still being enforced (${flying.map((a) => a.type).join(', ')} pending); decide the appeal once enforcement has settled, so that nothing is applied after the reversal`,
          { pending_actions: flying },
        );
      }
      // A failed action never took effect: cancelled, so that no retry can apply a reversed decision.
      const result = await trx
        .updateTable('enforcement_actions')
        .set({ status: 'cancelled' })
        .where('decision_id', '=', decision.id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      cancelled = Number(result.numUpdatedRows);
      reverts = await scheduleReverts(trx, decision.id, now);
    }
    const to = statusAfterAppeal({ appellant, outcome: input.outcome, reverts, actions });

    let set: Updateable<CasesTable> = to === 'closed' && !current.closed_at ? { closed_at: now } : {};
    if (upheld) {
      await trx.updateTable('decisions').set({ reverted_at: now }).where('id', '=', decision.id).execute();
      if (appellant === 'affected_user') {
        // DSA Art. 23: an overturned decision is no strike.
        await revokeStrikes(trx, decision.id, `appeal ${appeal.id} upheld: ${input.reasons}`, now);
        set = { ...set, outcome: 'reverted' };
        // Each target shows what holds now. The notice keeps its status (it was handled and
        // actioned), so its notifier can still object to the reversal in its thread.
        await trx
          .updateTable('notice_targets')
          .set({ outcome: 'reverted', outcome_at: now })
          .where('case_id', '=', current.id)
          .execute();
      } else {
        // Decided again, without undue delay (DSA Art. 20(4)): first in line among cases due now.
        set = {
          outcome: null,
          decided_at: null,
          decision_id: null,
          closed_at: null,
          due_at: now,
          assigned_to: null,
          lease_until: null,
        };
        await trx
          .updateTable('notice_targets')
          .set({ outcome: null, outcome_at: null })
          .where('case_id', '=', current.id)
          .execute();
        const noticeIds = trx
          .selectFrom('notice_targets')
          .select('notice_id')
          .where('case_id', '=', current.id);
        await trx.updateTable('notices').set({ status: 'in_review' }).where('id', 'in', noticeIds).execute();
      }
    }

    await trx
      .updateTable('appeals')
      .set({
        status: 'decided',
        outcome: input.outcome,
        reasons: input.reasons,
        decided_by: actor.id,
        decided_at: now,
        lease_until: null,
      })
      .where('id', '=', appeal.id)
      .execute();
    await stopDeadline(trx, 'appeal', appeal.id, now);
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'appeal_decided',
        to,
        data: {
          appeal_id: appeal.id,
          decision_id: decision.id,
          appellant_type: appellant,
          outcome: input.outcome,
          reasons: input.reasons,
          reverts,
          cancelled_actions: cancelled,
        },
        set,
      },
      now,
    );
    // A reversal changes the notifiers' upheld share (DSA Art. 22(6)): the due pass reviews it.
    // Marked after the case event's audit entry: only the chain's lock holder marks (markPrecisionDue).
    if (upheld) {
      const orgs = await trx
        .selectFrom('notice_targets')
        .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
        .select('notices.org_id')
        .where('notice_targets.case_id', '=', current.id)
        .execute();
      await markPrecisionDue(
        trx,
        orgs.map((o) => o.org_id),
        now,
      );
    }
    await tellNotifiers(
      trx,
      current.id,
      'notice.appeal_decided',
      { appellant_type: appellant, outcome: input.outcome, decided_at: now, case_status: to },
      appeal.notice_id
        ? { noticeId: appeal.notice_id, data: { appeal_id: appeal.id, reasons: input.reasons } }
        : null,
      now,
    );
    return { appeal_id: appeal.id, outcome: input.outcome, case_status: to, reverts };
  });
}
