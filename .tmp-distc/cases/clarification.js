import { lockCase, recordCaseEvent } from "./case-events.js";
/**
 * When a notifier answers a clarification request, the cases that were waiting on that
 * notice go back to the queue, once none of their notices is still waiting.
 */
export async function returnAnsweredCases(trx, noticeId, actor, now) {
    const cases = await trx
        .selectFrom('notice_targets')
        .innerJoin('cases', 'cases.id', 'notice_targets.case_id')
        .select('cases.id')
        .where('notice_targets.notice_id', '=', noticeId)
        .where('cases.status', '=', 'awaiting_clarification')
        .execute();
    for (const { id } of cases) {
        const stillWaiting = await trx
            .selectFrom('notice_targets')
            .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
            .select('notices.id')
            .where('notice_targets.case_id', '=', id)
            .where('notices.paused_since', 'is not', null)
            .where('notices.id', '<>', noticeId)
            .executeTakeFirst();
        if (stillWaiting)
            continue;
        const current = await lockCase(trx, id);
        await recordCaseEvent(trx, current, actor, { type: 'clarification_answered', data: { notice_id: noticeId } }, now);
    }
}
