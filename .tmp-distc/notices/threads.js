import { appendAudit } from "../audit/log.js";
import { returnAnsweredCases } from "../cases/clarification.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { currentPolicy } from "../policy/policy-store.js";
import { transact } from "../store/transact.js";
import { recordNoticeEvents } from "./events.js";
import { pauseClock, resumeClock, stopClock } from "./notice-clock.js";
import { loadNotice } from "./notice-view.js";
/** TCO Annex III, section B: why an order could not be carried out. */
export const impossibilityReasons = [
    'force_majeure',
    'de_facto_impossibility',
    'manifest_errors',
    'insufficient_information',
    'not_our_service',
    'other',
];
const sideOf = (actor) => (actor.orgKind === 'platform' ? 'platform' : 'notifier');
/** Which side may send which kind of message, and what it needs of the notice. */
const rules = {
    message: { side: 'both', event: 'notice.message' },
    clarification_request: { side: 'platform', event: 'notice.clarification_requested' },
    clarification_answer: { side: 'notifier', event: 'notice.clarification_answered' },
    impossible: { side: 'platform', event: 'notice.impossible' },
    objection: { side: 'notifier', event: 'notice.objection_received' },
};
const settled = new Set(['impossible', 'closed', 'actioned', 'partially_actioned', 'no_action', 'rejected']);
export async function postMessage(db, actor, noticeId, input, now) {
    const rule = rules[input.kind];
    if (rule.side !== 'both' && rule.side !== sideOf(actor)) {
        throw forbidden(`only the ${rule.side === 'platform' ? 'platform' : 'notifier'} can send a ${input.kind.replaceAll('_', ' ')}`);
    }
    await loadNotice(db, actor, noticeId);
    const policy = await currentPolicy(db);
    const targetCount = await db
        .selectFrom('notice_targets')
        .select(db.fn.countAll().as('n'))
        .where('notice_id', '=', noticeId)
        .executeTakeFirstOrThrow();
    const badIndex = (input.targetIndexes ?? []).findIndex((i) => i >= Number(targetCount.n));
    if (badIndex >= 0)
        throw invalid(`target_indexes[${badIndex}]: the notice has ${targetCount.n} targets`, [
            { pointer: `/target_indexes/${badIndex}`, detail: 'no such target' },
        ]);
    return transact(db, (trx) => writeMessage(trx, actor, noticeId, input, policy.document.at_risk_thresholds, now));
}
/**
 * Writes a thread message and the state change it carries, in the caller's transaction.
 * The caller has checked who may send it (see `postMessage`); the decision desk uses this
 * to ask for clarification as part of a decision.
 */
export async function writeMessage(trx, actor, noticeId, input, thresholds, now) {
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
            if (!current.paused_since)
                throw conflict('no clarification request is open on this notice');
            status = 'in_review';
            break;
        case 'impossible':
            if (settled.has(current.status))
                throw conflict(`the notice is already ${current.status}`);
            if (!input.reason)
                throw invalid('say why the notice cannot be carried out', [
                    { pointer: '/reason', detail: 'required' },
                ]);
            status = input.targetIndexes?.length ? current.status : 'impossible';
            break;
        case 'objection':
            if (!['actioned', 'partially_actioned', 'no_action', 'rejected', 'impossible'].includes(current.status)) {
                throw conflict('an objection answers a decision; this notice has none yet');
            }
            status = 'objected';
            break;
        case 'message':
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
    if (input.attachments?.length)
        await attach(trx, noticeId, id, input.attachments);
    if (input.kind === 'clarification_request')
        await pauseClock(trx, current, 'clarification_requested', id, now);
    if (input.kind === 'clarification_answer') {
        await resumeClock(trx, current, thresholds, now);
        await returnAnsweredCases(trx, noticeId, actor, now);
    }
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
    };
    await recordNoticeEvents(trx, [{ noticeId, orgId: current.org_id, type: rule.event, data }], now);
    await appendAudit(trx, actor, { action: `notice.${input.kind}`, objectType: 'notice', objectId: noticeId, change: data }, now);
    return { id, notice_id: noticeId, side, kind: input.kind, status, created_at: now };
}
async function attach(trx, noticeId, messageId, evidenceIds) {
    const found = await trx
        .selectFrom('evidence')
        .select('id')
        .where('notice_id', '=', noticeId)
        .where('id', 'in', evidenceIds)
        .execute();
    const missing = evidenceIds.filter((e) => !found.some((f) => f.id === e));
    if (missing.length > 0) {
        throw invalid(`attachments: ${missing[0]} is not evidence of this notice; upload it first to /v1/notices/${noticeId}/evidence`, [{ pointer: `/attachments/${evidenceIds.indexOf(missing[0])}`, detail: 'unknown evidence id' }]);
    }
    await trx.updateTable('evidence').set({ message_id: messageId }).where('id', 'in', evidenceIds).execute();
}
async function markImpossible(trx, noticeId, indexes, whole, now) {
    let query = trx
        .updateTable('notice_targets')
        .set({ outcome: 'impossible', outcome_at: now })
        .where('notice_id', '=', noticeId)
        .where('outcome', 'is', null);
    if (!whole && indexes)
        query = query.where('idx', 'in', indexes);
    await query.execute();
    if (whole)
        await stopClock(trx, noticeId, now);
}
/** The thread, oldest first, with when the other side read each message. */
export async function readThread(db, actor, noticeId) {
    await loadNotice(db, actor, noticeId);
    const messages = await db
        .selectFrom('thread_messages')
        .leftJoin('thread_reads', (join) => join
        .onRef('thread_reads.message_id', '=', 'thread_messages.id')
        .onRef('thread_reads.side', '<>', 'thread_messages.side'))
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
export async function markRead(db, actor, noticeId, upTo, now) {
    const notice = await loadNotice(db, actor, noticeId);
    const side = sideOf(actor);
    return transact(db, async (trx) => {
        const last = await trx
            .selectFrom('thread_messages')
            .select('created_at')
            .where('id', '=', upTo)
            .where('notice_id', '=', noticeId)
            .executeTakeFirst();
        if (!last)
            throw notFound(`no message ${upTo} in this thread`);
        const unread = await trx
            .selectFrom('thread_messages')
            .select('id')
            .where('notice_id', '=', noticeId)
            .where('side', '<>', side)
            .where('created_at', '<=', last.created_at)
            .where((eb) => eb.not(eb.exists(eb
            .selectFrom('thread_reads')
            .select('message_id')
            .whereRef('thread_reads.message_id', '=', 'thread_messages.id')
            .where('thread_reads.side', '=', side))))
            .execute();
        if (unread.length === 0)
            return 0;
        await trx
            .insertInto('thread_reads')
            .values(unread.map((m) => ({ message_id: m.id, side, reader_id: actor.id, read_at: now })))
            .execute();
        await recordNoticeEvents(trx, [
            {
                noticeId,
                orgId: notice.org_id,
                type: 'notice.message_read',
                data: { side, message_ids: unread.map((m) => m.id) },
            },
        ], now);
        return unread.length;
    });
}
