import { noticesOfCase } from "../cases/case-notices.js";
import { recordNoticeEvents } from "../notices/events.js";
/**
 * Tells every notifier of a case about its appeal, in the caller's transaction: the
 * government channel shows every status change as it happens. What only the appellant
 * should read (the appeal id to follow, the reasons given to it) goes on the appellant's
 * own notice alone; an affected user's grounds and contact never go to notifiers.
 */
export async function tellNotifiers(trx, caseId, type, data, appellant, now) {
    const notices = await noticesOfCase(trx, caseId);
    const unique = [...new Map(notices.map((n) => [n.id, n])).values()];
    await recordNoticeEvents(trx, unique.map((n) => ({
        noticeId: n.id,
        orgId: n.org_id,
        type,
        data: { case_id: caseId, ...data, ...(appellant?.noticeId === n.id ? appellant.data : {}) },
    })), now);
}
