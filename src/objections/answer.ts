import type { Updateable } from 'kysely';
import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { assertRoutedTo } from '../cases/queue.ts';
import { conflict, forbidden, notFound } from '../core/errors.ts';
import { stopDeadline } from '../deadlines/deadline-clock.ts';
import type { Actor } from '../identity/actor.ts';
import { writeMessage } from '../notices/threads.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import type { CasesTable } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { differentReviewer, type ObjectionOutcome, tookPartInAny } from './rules.ts';

/**
 * Answering an objection, with reasons, by a reviewer who took no part in the decision and
 * covers its jurisdiction and language. `maintained`: the decision stands, and the notice
 * returns to the status it had. `reopened`: each case goes back to the queue, first in line,
 * for a new decision (actions already applied stay until the new decision, or an appeal,
 * changes them). Either way the reasons go to the notifier in the thread and as a
 * notice.objection_answered event (feed and webhooks, through the outbox); the case events,
 * the audit entries and the stopped clock are written in the same transaction.
 */
export interface ObjectionAnswer {
  outcome: ObjectionOutcome;
  reasons: string;
}

export async function answerObjection(
  db: Db,
  actor: Actor,
  objectionId: string,
  input: ObjectionAnswer,
  now: Date,
) {
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const objection = await trx
      .selectFrom('objections')
      .selectAll()
      .where('id', '=', objectionId)
      .forUpdate()
      .executeTakeFirst();
    if (!objection) throw notFound(`no objection ${objectionId}`);
    if (objection.status !== 'open')
      throw conflict(
        `the objection was answered on ${objection.answered_at?.toISOString()}: ${objection.outcome}`,
      );
    if (tookPartInAny(objection.deciders, actor.id)) throw forbidden(differentReviewer);
    assertRoutedTo(actor, objection, 'case');

    // Cases are locked in id order (they are stored sorted), as appeals lock them.
    const cases = [];
    for (const caseId of objection.case_ids) cases.push(await lockCase(trx, caseId));
    if (input.outcome === 'reopened') {
      for (const current of cases) {
        if (current.status !== 'closed')
          throw conflict(
            `case ${current.id} is ${current.status.replaceAll('_', ' ')}; reopen it once it is closed`,
            { case_id: current.id },
          );
        const other = await trx
          .selectFrom('cases')
          .select('id')
          .where('subject_key', '=', current.subject_key)
          .where('status', '<>', 'closed')
          .where('id', '<>', current.id)
          .executeTakeFirst();
        if (other)
          throw conflict(`this content is already under review again in case ${other.id}`, {
            case_id: other.id,
          });
      }
    }
    const nextStatus = input.outcome === 'reopened' ? 'in_review' : objection.notice_status_before;
    const message = await writeMessage(
      trx,
      actor,
      objection.notice_id,
      {
        kind: 'objection_answer',
        body: input.reasons,
        nextStatus,
        eventData: { objection_id: objection.id, outcome: input.outcome, reasons: input.reasons },
      },
      policy.document.at_risk_thresholds,
      now,
    );
    for (const current of cases) {
      const data = { objection_id: objection.id, outcome: input.outcome, reasons: input.reasons };
      if (input.outcome === 'maintained') {
        await recordCaseEvent(trx, current, actor, { type: 'objection_maintained', data }, now);
        continue;
      }
      const set: Updateable<CasesTable> = {
        outcome: null,
        decided_at: null,
        decision_id: null,
        closed_at: null,
        due_at: now,
        assigned_to: null,
        lease_until: null,
      };
      await recordCaseEvent(trx, current, actor, { type: 'objection_reopened', to: 'open', data, set }, now);
      await trx
        .updateTable('notice_targets')
        .set({ outcome: null, outcome_at: null })
        .where('case_id', '=', current.id)
        .execute();
    }
    await trx
      .updateTable('objections')
      .set({
        status: 'answered',
        outcome: input.outcome,
        answer: input.reasons,
        answered_by: actor.id,
        answered_at: now,
        answer_message_id: message.id,
      })
      .where('id', '=', objection.id)
      .execute();
    await stopDeadline(trx, 'objection', objection.id, now);
    return {
      objection_id: objection.id,
      notice_id: objection.notice_id,
      outcome: input.outcome,
      notice_status: nextStatus,
      message_id: message.id,
      answered_at: now,
    };
  });
}
