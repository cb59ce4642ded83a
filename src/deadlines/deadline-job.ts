import { appendAuditMany } from '../audit/log.ts';
import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { workerActor } from '../identity/actor.ts';
import { type NoticeEvent, recordNoticeEvents } from '../notices/events.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { deadlineMarks, nextDeadlineMark } from './deadline-clock.ts';

/**
 * Announces the marks of appeal, objection and escalation-step clocks as they are crossed,
 * as src/notices/clock-job.ts does for notices: each clock stores when its next mark falls,
 * rows are claimed with SKIP LOCKED (any number of processes), and a pass writes, in one
 * transaction, a `deadline_at_risk` / `deadline_breached` case event (the platform's side),
 * a `notice.deadline.at_risk` / `notice.deadline.breached` event for the notifier when a
 * notice is involved (feed and webhooks, through the outbox), and the breaches to the
 * audit log.
 */
export async function announceDeadlineMarks(db: Db, now: Date, limit = 200): Promise<number> {
  const policy = await currentPolicy(db);
  const thresholds = policy.document.at_risk_thresholds;
  const all = deadlineMarks(thresholds);
  return transact(db, async (trx) => {
    const due = await trx
      .selectFrom('deadline_clocks')
      .selectAll()
      .where('next_mark_at', '<=', now)
      .where('stopped_at', 'is', null)
      .orderBy('next_mark_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    const noticeEvents: NoticeEvent[] = [];
    const breaches: { subject: string; id: string; data: Record<string, unknown> }[] = [];
    let count = 0;
    for (const clock of due) {
      const share = (now.getTime() - clock.started_at.getTime()) / (clock.hours * 3_600_000);
      let announced = clock.marks_announced;
      while (announced < all.length && share >= all[announced]!.share) {
        const mark = all[announced]!;
        const kind = mark.kind === 'breached' ? 'breached' : 'at_risk';
        const data = {
          subject_type: clock.subject_type,
          subject_id: clock.subject_id,
          share: mark.share,
          due_at: clock.due_at,
        };
        if (clock.case_id) {
          const current = await lockCase(trx, clock.case_id);
          await recordCaseEvent(trx, current, workerActor, { type: `deadline_${kind}`, data }, now);
        }
        if (clock.notice_id && clock.org_id)
          noticeEvents.push({
            noticeId: clock.notice_id,
            orgId: clock.org_id,
            type: kind === 'breached' ? 'notice.deadline.breached' : 'notice.deadline.at_risk',
            data,
          });
        if (kind === 'breached') breaches.push({ subject: clock.subject_type, id: clock.subject_id, data });
        announced += 1;
        count += 1;
      }
      await trx
        .updateTable('deadline_clocks')
        .set({
          marks_announced: announced,
          next_mark_at: nextDeadlineMark({ ...clock, marks_announced: announced }, thresholds),
        })
        .where('id', '=', clock.id)
        .execute();
    }
    await recordNoticeEvents(trx, noticeEvents, now);
    await appendAuditMany(
      trx,
      breaches.map((b) => ({
        actor: workerActor,
        record: {
          action: `${b.subject}.deadline_breached`,
          objectType: b.subject,
          objectId: b.id,
          change: b.data,
        },
      })),
      now,
    );
    return count;
  });
}
