import { noticesOfCase } from '../cases/case-notices.ts';
import { type NoticeEventType, recordNoticeEvents } from '../notices/events.ts';
import type { Db } from '../store/db.ts';

/**
 * Tells every notifier of a case about its appeal, in the caller's transaction: the
 * government channel shows every status change as it happens. What only the appellant
 * should read (the appeal id to follow, the reasons given to it) goes on the appellant's
 * own notice alone; an affected user's grounds and contact never go to notifiers.
 */
export async function tellNotifiers(
  trx: Db,
  caseId: string,
  type: Extract<NoticeEventType, 'notice.appeal_received' | 'notice.appeal_decided'>,
  data: Record<string, unknown>,
  appellant: { noticeId: string; data: Record<string, unknown> } | null,
  now: Date,
): Promise<void> {
  const notices = await noticesOfCase(trx, caseId);
  const unique = [...new Map(notices.map((n) => [n.id, n])).values()];
  await recordNoticeEvents(
    trx,
    unique.map((n) => ({
      noticeId: n.id,
      orgId: n.org_id,
      type,
      data: { case_id: caseId, ...data, ...(appellant?.noticeId === n.id ? appellant.data : {}) },
    })),
    now,
  );
}
