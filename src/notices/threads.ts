import { appendAudit } from '../audit/log.ts';
import { returnAnsweredCases } from '../cases/clarification.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { type NoticeEventType, recordNoticeEvents } from './events.ts';
import { pauseClock, resumeClock, stopClock } from './notice-clock.ts';
import { loadNotice } from './notice-view.ts';

/**
 * The government channel: each notice has a thread between the notifier and the platform,
 * in writing, with accurate times (TCO Art. 15). Some messages change the notice's state:
 * a clarification request pauses its clock and the answer resumes it. Declaring a notice
 * impossible to carry out (TCO Art. 3(7)-(8), Annex III) pauses it too: the notifier answers
 * or corrects, or the platform says the obstacle has ceased, and the clock resumes with the
 * time that was left; "impossible for good" is a separate, final outcome with its reasons.
 * The notifier can object to a decision (SAMAN's "sanggah", src/objections/). Each is a
 * thread message, an event and an audit entry, written together.
 */
export type MessageKind =
  | 'message'
  | 'clarification_request'
  | 'clarification_answer'
  | 'impossibility_declared'
  | 'impossibility_answer'
  | 'impossibility_ended'
  | 'impossible'
  | 'objection'
  | 'objection_answer'
  | 'escalation_step'
  | 'escalation_answer';

/**
 * TCO Annex III, section B: why an order cannot be carried out for now. Force majeure or a
 * de facto impossibility not attributable to the platform (Art. 3(7)); manifest errors or
 * insufficient information (Art. 3(8)). Each pauses the clock until it is resolved.
 */
export const pausingImpossibilityReasons = [
  'force_majeure',
  'de_facto_impossibility',
  'manifest_errors',
  'insufficient_information',
] as const;

/** Why a notice is impossible for good: the Annex III reasons, and two that no answer cures. */
export const impossibilityReasons = [...pausingImpossibilityReasons, 'not_our_service', 'other'] as const;

export interface PostInput {
  kind: MessageKind;
  body: string;
  attachments?: string[] | undefined;
  targetIndexes?: number[] | undefined;
  reason?: (typeof impossibilityReasons)[number] | undefined;
  /** For messages that answer something outside the notice (an objection): the status the notice takes. */
  nextStatus?: string | undefined;
  /** More facts for the message's event and audit entry (an objection's outcome, an escalation step). */
  eventData?: Record<string, unknown> | undefined;
}

const sideOf = (actor: Actor) => (actor.orgKind === 'platform' ? 'platform' : 'notifier');

/** Which side may send which kind of message, and what it needs of the notice. */
const rules: Record<MessageKind, { side: 'platform' | 'notifier' | 'both'; event: NoticeEventType }> = {
  message: { side: 'both', event: 'notice.message' },
  clarification_request: { side: 'platform', event: 'notice.clarification_requested' },
  clarification_answer: { side: 'notifier', event: 'notice.clarification_answered' },
  impossibility_declared: { side: 'platform', event: 'notice.impossibility_declared' },
  impossibility_answer: { side: 'notifier', event: 'notice.impossibility_answered' },
  impossibility_ended: { side: 'platform', event: 'notice.impossibility_ended' },
  impossible: { side: 'platform', event: 'notice.impossible' },
  objection: { side: 'notifier', event: 'notice.objection_received' },
  objection_answer: { side: 'platform', event: 'notice.objection_answered' },
  escalation_step: { side: 'notifier', event: 'notice.escalation_issued' },
  escalation_answer: { side: 'platform', event: 'notice.escalation_answered' },
};

const settled = new Set(['impossible', 'closed', 'actioned', 'partially_actioned', 'no_action', 'rejected']);

export async function postMessage(db: Db, actor: Actor, noticeId: string, input: PostInput, now: Date) {
  const rule = rules[input.kind];
  if (rule.side !== 'both' && rule.side !== sideOf(actor)) {
    throw forbidden(
      `only the ${rule.side === 'platform' ? 'platform' : 'notifier'} can send a ${input.kind.replaceAll('_', ' ')}`,
    );
  }
  await loadNotice(db, actor, noticeId);
  const policy = await currentPolicy(db);
  const targetCount = await db
    .selectFrom('notice_targets')
    .select(db.fn.countAll<number>().as('n'))
    .where('notice_id', '=', noticeId)
    .executeTakeFirstOrThrow();
  const badIndex = (input.targetIndexes ?? []).findIndex((i) => i >= Number(targetCount.n));
  if (badIndex >= 0)
    throw invalid(`target_indexes[${badIndex}]: the notice has ${targetCount.n} targets`, [
      { pointer: `/target_indexes/${badIndex}`, detail: 'no such target' },
    ]);

  return transact(db, (trx) =>
    writeMessage(trx, actor, noticeId, input, policy.document.at_risk_thresholds, now),
  );
}

/**
 * Writes a thread message and the state change it carries, in the caller's transaction.
 * The caller has checked who may send it (see `postMessage`); the decision desk uses this
 * to ask for clarification as part of a decision.
 */
export async function writeMessage(
  trx: Db,
  actor: Actor,
  noticeId: string,
  input: PostInput,
  thresholds: readonly number[],
  now: Date,
) {
  const side = sideOf(actor);
  const rule = rules[input.kind];
  // Lock the notice: state changes of one notice happen one at a time.
  const current = await trx
    .selectFrom('notices')
    .selectAll()
    .where('id', '=', noticeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const id = newId();
  let status = current.status;
  switch (input.kind) {
    case 'clarification_request':
      if (settled.has(current.status))
        throw conflict(`the notice is ${current.status}; there is nothing to clarify`);
      if (current.paused_since)
        throw conflict('a clarification request is already open; wait for the answer');
      status = 'clarification_requested';
      break;
    case 'clarification_answer':
      if (!current.paused_since || current.status !== 'clarification_requested')
        throw conflict('no clarification request is open on this notice');
      status = 'in_review';
      break;
    case 'impossibility_declared':
      if (settled.has(current.status)) throw conflict(`the notice is already ${current.status}`);
      if (current.paused_since)
        throw conflict(
          current.status === 'impossibility_declared'
            ? 'the notice is already declared impossible to carry out; wait for the answer'
            : 'a clarification request is open; its answer comes first',
        );
      if (!input.reason)
        throw invalid('say why the notice cannot be carried out', [
          { pointer: '/reason', detail: 'required' },
        ]);
      status = 'impossibility_declared';
      break;
    case 'impossibility_answer':
    case 'impossibility_ended':
      if (!current.paused_since || current.status !== 'impossibility_declared')
        throw conflict('the notice is not declared impossible to carry out; there is nothing to resume');
      status = 'in_review';
      break;
    case 'impossible':
      if (settled.has(current.status)) throw conflict(`the notice is already ${current.status}`);
      if (!input.reason)
        throw invalid('say why the notice cannot be carried out', [
          { pointer: '/reason', detail: 'required' },
        ]);
      status = input.targetIndexes?.length ? current.status : 'impossible';
      break;
    case 'objection':
      if (
        !['actioned', 'partially_actioned', 'no_action', 'rejected', 'impossible'].includes(current.status)
      ) {
        throw conflict('an objection answers a decision; this notice has none yet');
      }
      status = 'objected';
      break;
    case 'objection_answer':
      status = input.nextStatus ?? current.status;
      break;
    case 'message':
    case 'escalation_step':
    case 'escalation_answer':
      break;
  }
  await trx
    .insertInto('thread_messages')
    .values({
      id,
      notice_id: noticeId,
      side,
      kind: input.kind,
      author_type: actor.type,
      author_id: actor.id,
      author_name: actor.displayName,
      body: input.body,
      target_idx: input.targetIndexes?.[0] ?? null,
      created_at: now,
    })
    .execute();
  if (input.attachments?.length) await attach(trx, noticeId, id, input.attachments);
  if (input.kind === 'clarification_request')
    await pauseClock(trx, current, 'clarification_requested', id, now);
  if (input.kind === 'clarification_answer') {
    await resumeClock(trx, current, thresholds, now);
    await returnAnsweredCases(trx, noticeId, actor, now);
  }
  if (input.kind === 'impossibility_declared')
    await pauseClock(trx, current, `impossibility:${input.reason}`, id, now);
  if (input.kind === 'impossibility_answer' || input.kind === 'impossibility_ended')
    await resumeClock(trx, current, thresholds, now);
  if (input.kind === 'impossible')
    await markImpossible(trx, noticeId, input.targetIndexes, status === 'impossible', now);
  if (status !== current.status)
    await trx.updateTable('notices').set({ status }).where('id', '=', noticeId).execute();

  const data = {
    message_id: id,
    side,
    kind: input.kind,
    status,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.targetIndexes ? { target_indexes: input.targetIndexes } : {}),
    ...input.eventData,
  };
  await recordNoticeEvents(trx, [{ noticeId, orgId: current.org_id, type: rule.event, data }], now);
  await appendAudit(
    trx,
    actor,
    { action: `notice.${input.kind}`, objectType: 'notice', objectId: noticeId, change: data },
    now,
  );
  return { id, notice_id: noticeId, side, kind: input.kind, status, created_at: now };
}

async function attach(trx: Db, noticeId: string, messageId: string, evidenceIds: string[]): Promise<void> {
  const found = await trx
    .selectFrom('evidence')
    .select('id')
    .where('notice_id', '=', noticeId)
    .where('id', 'in', evidenceIds)
    .execute();
  const missing = evidenceIds.filter((e) => !found.some((f) => f.id === e));
  if (missing.length > 0) {
    throw invalid(
      `attachments: ${missing[0]} is not evidence of this notice; upload it first to /v1/notices/${noticeId}/evidence`,
      [{ pointer: `/attachments/${evidenceIds.indexOf(missing[0]!)}`, detail: 'unknown evidence id' }],
    );
  }
  await trx.updateTable('evidence').set({ message_id: messageId }).where('id', 'in', evidenceIds).execute();
}

async function markImpossible(
  trx: Db,
  noticeId: string,
  indexes: number[] | undefined,
  whole: boolean,
  now: Date,
): Promise<void> {
  let query = trx
    .updateTable('notice_targets')
    .set({ outcome: 'impossible', outcome_at: now })
    .where('notice_id', '=', noticeId)
    .where('outcome', 'is', null);
  if (!whole && indexes) query = query.where('idx', 'in', indexes);
  await query.execute();
  if (whole) await stopClock(trx, noticeId, now);
}

/** The thread, oldest first, with when the other side read each message. */
export async function readThread(db: Db, actor: Actor, noticeId: string) {
  await loadNotice(db, actor, noticeId);
  const messages = await db
    .selectFrom('thread_messages')
    .leftJoin('thread_reads', (join) =>
      join
        .onRef('thread_reads.message_id', '=', 'thread_messages.id')
        .onRef('thread_reads.side', '<>', 'thread_messages.side'),
    )
    .select([
      'thread_messages.id',
      'thread_messages.side',
      'thread_messages.kind',
      'thread_messages.author_name',
      'thread_messages.body',
      'thread_messages.target_idx',
      'thread_messages.created_at',
      'thread_reads.read_at',
    ])
    .where('thread_messages.notice_id', '=', noticeId)
    .orderBy('thread_messages.created_at')
    .orderBy('thread_messages.id')
    .execute();
  const attachments = await db
    .selectFrom('evidence')
    .select(['id', 'message_id', 'filename', 'content_type', 'size', 'sha256'])
    .where('notice_id', '=', noticeId)
    .where('message_id', 'is not', null)
    .execute();
  return messages.map((m) => ({
    ...m,
    read_at: m.read_at ?? null,
    attachments: attachments.filter((a) => a.message_id === m.id).map(({ message_id: _, ...a }) => a),
  }));
}

/** Read receipts: marks every message from the other side up to `upTo` as read by the caller's side. */
export async function markRead(
  db: Db,
  actor: Actor,
  noticeId: string,
  upTo: string,
  now: Date,
): Promise<number> {
  const notice = await loadNotice(db, actor, noticeId);
  const side = sideOf(actor);
  return transact(db, async (trx) => {
    const last = await trx
      .selectFrom('thread_messages')
      .select('created_at')
      .where('id', '=', upTo)
      .where('notice_id', '=', noticeId)
      .executeTakeFirst();
    if (!last) throw notFound(`no message ${upTo} in this thread`);
    const unread = await trx
      .selectFrom('thread_messages')
      .select('id')
      .where('notice_id', '=', noticeId)
      .where('side', '<>', side)
      .where('created_at', '<=', last.created_at)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('thread_reads')
              .select('message_id')
              .whereRef('thread_reads.message_id', '=', 'thread_messages.id')
              .where('thread_reads.side', '=', side),
          ),
        ),
      )
      .execute();
    if (unread.length === 0) return 0;
    await trx
      .insertInto('thread_reads')
      .values(unread.map((m) => ({ message_id: m.id, side, reader_id: actor.id, read_at: now })))
      .execute();
    await recordNoticeEvents(
      trx,
      [
        {
          noticeId,
          orgId: notice.org_id,
          type: 'notice.message_read',
          data: { side, message_ids: unread.map((m) => m.id) },
        },
      ],
      now,
    );
    return unread.length;
  });
}
