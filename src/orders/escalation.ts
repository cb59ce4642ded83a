import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { startDeadline, toView } from '../deadlines/deadline-clock.ts';
import type { Actor } from '../identity/actor.ts';
import { loadNotice } from '../notices/notice-view.ts';
import { writeMessage } from '../notices/threads.ts';
import { channelPolicy, type EscalationStep } from '../policy/channel-policy.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { nextStep, nextStepFrom, refusal } from './escalation-rules.ts';

/**
 * SAMAN's escalation ladder in the database (rules: src/orders/escalation-rules.ts). The
 * ministry that issued the order issues each step; each is a thread message, a
 * notice.escalation_issued event (feed and webhooks), an audit entry, a row and a clock,
 * written together. The platform answers each step in the thread.
 */
export interface StepInput {
  step: EscalationStep;
  legal_basis?: string | undefined;
  reasons: string;
  letter_reference?: string | undefined;
  fine?: { amount: number; currency: string } | undefined;
}

export async function issueStep(db: Db, actor: Actor, noticeId: string, input: StepInput, now: Date) {
  const notice = await loadNotice(db, actor, noticeId);
  if (actor.orgId !== notice.org_id) throw forbidden('only the authority that issued the order escalates it');
  const policy = await currentPolicy(db);
  const ladder = channelPolicy(policy.document).escalation;
  const rule = ladder.steps.find((s) => s.step === input.step)!;
  if (rule.with_fine && !input.fine)
    throw invalid(`fine: a ${input.step.replaceAll('_', ' ')} comes with an administrative fine (SAMAN)`, [
      { pointer: '/fine', detail: 'required for this step' },
    ]);
  if (!rule.with_fine && input.fine)
    throw invalid(`fine: a ${input.step.replaceAll('_', ' ')} carries no fine`, [
      { pointer: '/fine', detail: 'not for this step' },
    ]);
  const firstCase = await db
    .selectFrom('notice_targets')
    .select('case_id')
    .where('notice_id', '=', noticeId)
    .where('case_id', 'is not', null)
    .orderBy('idx')
    .executeTakeFirst();

  return transact(db, async (trx) => {
    // Writing the message locks the notice; read the ladder after it, under the lock.
    const current = await trx
      .selectFrom('notices')
      .select(['kind', 'jurisdiction', 'legal_due_at', 'closed_at', 'paused_since'])
      .where('id', '=', noticeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const issued = await stepsOf(trx, noticeId);
    const why = refusal(
      {
        kind: current.kind,
        jurisdiction: current.jurisdiction,
        legalDueAt: current.legal_due_at,
        closedAt: current.closed_at,
        pausedSince: current.paused_since,
        issued,
      },
      input.step,
      ladder.jurisdictions,
      now,
    );
    if (why) throw conflict(why);
    const legalBasis = input.legal_basis ?? rule.legal_basis;
    const id = newId();
    const dueAt = new Date(now.getTime() + rule.deadline_hours * 3_600_000);
    const facts = {
      step_id: id,
      step: input.step,
      position: issued.length + 1,
      legal_basis: legalBasis,
      letter_reference: input.letter_reference ?? null,
      fine: input.fine ?? null,
      due_at: dueAt,
    };
    const message = await writeMessage(
      trx,
      actor,
      noticeId,
      { kind: 'escalation_step', body: input.reasons, eventData: facts },
      policy.document.at_risk_thresholds,
      now,
    );
    await trx
      .insertInto('escalation_steps')
      .values({
        id,
        notice_id: noticeId,
        org_id: notice.org_id,
        step: input.step,
        position: issued.length + 1,
        legal_basis: legalBasis,
        letter_reference: input.letter_reference ?? null,
        fine: JSON.stringify(input.fine ?? null),
        reasons: input.reasons,
        issued_by: actor.id,
        issued_at: now,
        message_id: message.id,
      })
      .execute();
    await startDeadline(
      trx,
      {
        subjectType: 'escalation_step',
        subjectId: id,
        caseId: firstCase?.case_id ?? null,
        noticeId,
        orgId: notice.org_id,
        hours: rule.deadline_hours,
      },
      policy.document.at_risk_thresholds,
      now,
    );
    return { ...facts, id, notice_id: noticeId, issued_at: now, message_id: message.id };
  });
}

export async function answerStep(
  db: Db,
  actor: Actor,
  noticeId: string,
  stepId: string,
  input: { body: string; attachments?: string[] | undefined },
  now: Date,
) {
  if (actor.orgKind !== 'platform') throw forbidden('only the platform answers an escalation step');
  await loadNotice(db, actor, noticeId);
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const step = await trx
      .selectFrom('escalation_steps')
      .selectAll()
      .where('id', '=', stepId)
      .where('notice_id', '=', noticeId)
      .forUpdate()
      .executeTakeFirst();
    if (!step) throw notFound(`no escalation step ${stepId} on this notice`);
    const message = await writeMessage(
      trx,
      actor,
      noticeId,
      {
        kind: 'escalation_answer',
        body: input.body,
        attachments: input.attachments,
        eventData: { step_id: step.id, step: step.step },
      },
      policy.document.at_risk_thresholds,
      now,
    );
    // The first answer is the one dated; later ones are in the thread.
    if (!step.answered_at)
      await trx.updateTable('escalation_steps').set({ answered_at: now }).where('id', '=', step.id).execute();
    return { ...message, step_id: step.id, step: step.step };
  });
}

async function stepsOf(db: Db, noticeId: string) {
  return db
    .selectFrom('escalation_steps')
    .innerJoin('deadline_clocks', (join) =>
      join
        .onRef('deadline_clocks.subject_id', '=', 'escalation_steps.id')
        .on('deadline_clocks.subject_type', '=', 'escalation_step'),
    )
    .select([
      'escalation_steps.id',
      'escalation_steps.step',
      'escalation_steps.position',
      'escalation_steps.legal_basis',
      'escalation_steps.letter_reference',
      'escalation_steps.fine',
      'escalation_steps.reasons',
      'escalation_steps.issued_at',
      'escalation_steps.answered_at',
      'escalation_steps.message_id',
      'deadline_clocks.started_at',
      'deadline_clocks.hours',
      'deadline_clocks.due_at',
      'deadline_clocks.stopped_at',
    ])
    .where('escalation_steps.notice_id', '=', noticeId)
    .orderBy('escalation_steps.position')
    .execute();
}

/** The ladder of an order as both sides see it: the steps issued, and what may come next. */
export async function escalationView(db: Db, actor: Actor, noticeId: string, now: Date) {
  const notice = await loadNotice(db, actor, noticeId);
  return ladderOf(db, notice, now);
}

/** The same, for a notice already loaded (the notice view embeds it). */
export async function ladderOf(
  db: Db,
  notice: {
    id: string;
    kind: 'notice' | 'order';
    jurisdiction: string;
    legal_due_at: Date;
    closed_at: Date | null;
    paused_since: Date | null;
  },
  now: Date,
) {
  const policy = await currentPolicy(db);
  const ladder = channelPolicy(policy.document).escalation;
  const applies = notice.kind === 'order' && ladder.jurisdictions.includes(notice.jurisdiction);
  const rows = applies ? await stepsOf(db, notice.id) : [];
  const steps = rows.map(({ started_at, hours, due_at, stopped_at, ...row }) => ({
    ...row,
    deadline: toView({ started_at, hours, due_at, stopped_at }, policy.document.at_risk_thresholds, now),
  }));
  const next = applies && !notice.closed_at ? nextStep(rows) : null;
  const from = next
    ? nextStepFrom({
        kind: notice.kind,
        jurisdiction: notice.jurisdiction,
        legalDueAt: notice.legal_due_at,
        closedAt: notice.closed_at,
        pausedSince: notice.paused_since,
        issued: rows,
      })
    : null;
  return {
    applies,
    steps,
    next_step: next,
    next_step_from: from,
  };
}
