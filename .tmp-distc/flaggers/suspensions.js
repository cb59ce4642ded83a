import { transact } from "../store/transact.js";
import { statusHistory } from "./flagger-records.js";
import { statusBeforeSuspension } from "./status.js";
import { applyStatus } from "./status-changes.js";
/**
 * DSA Art. 23(2): a notifier's notices are suspended "for a reasonable period of time".
 * When the period ends, this job returns the flagger to the status it had before, as a
 * status change of its own (recorded and audited like any other).
 */
export const suspensionsActor = { type: 'system', id: 'flagger-suspensions' };
const BATCH = 50;
/** Lifts the suspensions that have ended; returns how many it lifted. */
export async function liftEndedSuspensions(db, now) {
    return transact(db, async (trx) => {
        // SKIP LOCKED: another process lifting at the same time takes the other rows.
        const due = (await trx
            .selectFrom('organisations')
            .selectAll()
            .where('flagger_status', '=', 'suspended')
            .where('suspended_until', '<=', now)
            .orderBy('suspended_until')
            .limit(BATCH)
            .forUpdate()
            .skipLocked()
            .execute());
        const lifted = [];
        for (const org of due) {
            const back = statusBeforeSuspension(await statusHistory(trx, org.id));
            const reasons = `The suspension ended on ${new Date(org.suspended_until).toISOString()} (DSA Art. 23(2)); the flagger returns to ${back}.`;
            lifted.push(await applyStatus(trx, suspensionsActor, org, {
                from: 'suspended',
                to: back,
                designated_by: org.designated_by,
                designated_categories: org.designated_categories,
                designated_jurisdictions: org.designated_jurisdictions,
                suspended_until: null,
            }, reasons, now));
        }
        return lifted.length;
    });
}
