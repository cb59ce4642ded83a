import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { conflict, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { startDeadline } from '../deadlines/deadline-clock.ts';
import type { Actor } from '../identity/actor.ts';
import { loadNotice } from '../notices/notice-view.ts';
import { writeMessage } from '../notices/threads.ts';
import { channelPolicy } from '../policy/channel-policy.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { objectableStatuses } from './rules.ts';

/**
 * Lodging an objection (SAMAN "sanggah"): the notifier objects to the decision on its
 * notice. In one transaction: the thread message and its event (notice.objection_received),
 * the objection with the decisions it contests and who took them (none of them answers
 * it), its clock from the SOP policy, and an `objection_received` event on each case.
 */
export interface ObjectionInput {
  grounds: string;
  targetIndexes?: number[] | undefined;
  attachments?: string[] | undefined;
}

export async function lodgeObjection(
  db: Db,
  actor: Actor,
  noticeId: string,
  input: ObjectionInput,
  now: Date,
) {
  if (actor.orgKind === 'platform') throw forbidden('only the notifier can send an objection');
  const notice = await loadNotice(db, actor, noticeId);
  const policy = await currentPolicy(db);
  const hours = channelPolicy(policy.document).objection_deadline_hours;
  const targets = await db
    .selectFrom('notice_targets')
    .leftJoin('cases', 'cases.id', 'notice_targets.case_id')
    .leftJoin('decisions', 'decisions.id', 'cases.decision_id')
    .select([
      'notice_targets.idx',
      'notice_targets.case_id',
      'decisions.id as decision_id',
      'decisions.decided_by',
      'decisions.approved_by',
    ])
    .where('notice_targets.notice_id', '=', noticeId)
    .orderBy('notice_targets.idx')
    .execute();
  const chosen = input.targetIndexes ? [...new Set(input.targetIndexes)] : targets.map((t) => t.idx);
  const known = new Set(targets.map((t) => t.idx));
  const badIndex = chosen.findIndex((i) => !known.has(i));
  if (badIndex >= 0)
    throw invalid(`target_indexes[${badIndex}]: the notice has ${targets.length} targets`, [
      { pointer: `/target_indexes/${badIndex}`, detail: 'no such target' },
    ]);
  if (notice.status === 'objected')
    throw conflict(
      'an objection to this notice’s decision is already open; its answer comes as a notice.objection_answered event',
    );
  if (!objectableStatuses.includes(notice.status))
    throw conflict('an objection answers a decision; this notice has none yet');
  const decided = targets.filter((t) => chosen.includes(t.idx) && t.case_id && t.decision_id);
  const caseIds = [...new Set(decided.map((t) => t.case_id!))].sort();
  const decisionIds = [...new Set(decided.map((t) => t.decision_id!))];
  const deciders = [
    ...new Set(decided.flatMap((t) => [t.decided_by, t.approved_by]).filter((x): x is string => !!x)),
  ];

  return transact(db, async (trx) => {
    const open = await trx
      .selectFrom('objections')
      .select(['id', 'created_at'])
      .where('notice_id', '=', noticeId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open)
      throw conflict(
        `an objection to this notice's decision is already open (lodged ${open.created_at.toISOString()}); its answer comes as a notice.objection_answered event`,
        { objection_id: open.id },
      );
    const message = await writeMessage(
      trx,
      actor,
      noticeId,
      {
        kind: 'objection',
        body: input.grounds,
        targetIndexes: input.targetIndexes,
        attachments: input.attachments,
      },
      policy.document.at_risk_thresholds,
      now,
    );
    const id = newId();
    await trx
      .insertInto('objections')
      .values({
        id,
        notice_id: noticeId,
        org_id: notice.org_id,
        message_id: message.id,
        grounds: input.grounds,
        case_ids: caseIds,
        decision_ids: decisionIds,
        deciders,
        jurisdiction: notice.jurisdiction,
        language: notice.language,
        notice_status_before: notice.status,
        status: 'open',
        created_at: now,
      })
      .execute();
    const dueAt = await startDeadline(
      trx,
      {
        subjectType: 'objection',
        subjectId: id,
        caseId: caseIds[0] ?? null,
        noticeId,
        orgId: notice.org_id,
        hours,
      },
      policy.document.at_risk_thresholds,
      now,
    );
    for (const caseId of caseIds) {
      const current = await lockCase(trx, caseId);
      await recordCaseEvent(
        trx,
        current,
        actor,
        { type: 'objection_received', data: { objection_id: id, notice_id: noticeId, due_at: dueAt } },
        now,
      );
    }
    return { ...message, objection_id: id, due_at: dueAt };
  });
}
