import { appendAuditMany } from "../audit/log.js";
import { workerActor } from "../identity/actor.js";
import { currentPolicy } from "../policy/policy-store.js";
import { transact } from "../store/transact.js";
import { recordNoticeEvents } from "./events.js";
import { clockMarksOf, nextMarkAt } from "./notice-clock.js";
/**
 * Announces clock marks as they are crossed: "at risk" at 50% and 80% of the time used,
 * the internal target missed, the legal deadline breached. Each notice stores when its next
 * mark falls, so a pass reads only the notices that are due. Runs in any number of
 * processes: rows are claimed with SKIP LOCKED.
 */
export async function announceClockMarks(db, now, limit = 500) {
    const policy = await currentPolicy(db);
    const thresholds = policy.document.at_risk_thresholds;
    return transact(db, async (trx) => {
        const due = await trx
            .selectFrom('notices')
            .select([
            'id',
            'org_id',
            'legal_hours',
            'target_hours',
            'legal_due_at',
            'target_due_at',
            'clock_marks_announced',
        ])
            .where('next_clock_at', '<=', now)
            .where('paused_since', 'is', null)
            .where('closed_at', 'is', null)
            .orderBy('next_clock_at')
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .execute();
        if (due.length === 0)
            return 0;
        const events = [];
        for (const notice of due) {
            const all = clockMarksOf(notice, thresholds);
            const start = notice.legal_due_at.getTime() - notice.legal_hours * 3_600_000;
            const share = (now.getTime() - start) / (notice.legal_hours * 3_600_000);
            let announced = notice.clock_marks_announced;
            while (announced < all.length && share >= all[announced].share) {
                const mark = all[announced];
                events.push({
                    noticeId: notice.id,
                    orgId: notice.org_id,
                    type: mark.kind === 'at_risk'
                        ? 'notice.clock.at_risk'
                        : mark.kind === 'target_missed'
                            ? 'notice.clock.target_missed'
                            : 'notice.clock.breached',
                    data: { share: mark.share, deadline: notice.legal_due_at, target_deadline: notice.target_due_at },
                });
                announced += 1;
            }
            await trx
                .updateTable('notices')
                .set({
                clock_marks_announced: announced,
                next_clock_at: nextMarkAt({ ...notice, clock_marks_announced: announced }, thresholds),
            })
                .where('id', '=', notice.id)
                .execute();
        }
        await recordNoticeEvents(trx, events, now);
        // Breaches are the regulator's business: they go to the audit log too.
        const breaches = events.filter((e) => e.type === 'notice.clock.breached');
        await appendAuditMany(trx, breaches.map((e) => ({
            actor: workerActor,
            record: {
                action: 'notice.deadline_breached',
                objectType: 'notice',
                objectId: e.noticeId,
                change: e.data,
            },
        })), now);
        return events.length;
    });
}
