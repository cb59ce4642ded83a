/**
 * How long tapis keeps what it holds of an item: the rules, as plain functions.
 *
 * - TCO Art. 6(1)-(2): removed terrorist content and its related data are preserved for six
 *   months from the removal, longer when an authority or court asks (a legal hold), then
 *   deleted. RULEBOOK "Preservation and audit": takedown hides; it does not destroy evidence.
 * - A restrictive decision dates everything of its case at the decision plus the period
 *   (`TAPIS_PRESERVATION_DAYS`, 183 by default). A later decision only ever extends the date.
 * - Evidence of a notice that ends without a restrictive decision (no action, rejected,
 *   impossible) is dated from the notice's closing, for the same period: the notifier may
 *   appeal a no_action for six months (DSA Art. 20(1)), and the evidence is what the appeal
 *   is decided on.
 * - Content deposited for a case is dated from the case's decision, or from its deposit
 *   while the case is undecided (a later decision extends it).
 * - Nothing is purged while any case it belongs to is still being worked (not closed: under
 *   review, actioning, under appeal, reverting…) or is under an active legal hold.
 */
export const DAY_MS = 86_400_000;
export function addDays(date, days) {
    return new Date(date.getTime() + days * DAY_MS);
}
/** The date to keep a case's content until, from its decision (or from now while undecided). */
export function preservedUntil(decidedAt, now, preservationDays) {
    return addDays(decidedAt ?? now, preservationDays);
}
/** A hold keeps content until it is released, or until its own date when it has one. */
export function holdIsActive(hold, now) {
    return hold.released_at === null && (hold.until === null || hold.until > now);
}
/** Whether content dated `until` may be purged now, given the state of every case it belongs to. */
export function isPurgeable(until, cases, now) {
    if (until === null || until > now)
        return false;
    return cases.every((c) => c.status === 'closed' && !c.held);
}
/** Evidence not dated by a restrictive decision is kept from its notice's closing for the same period. */
export function effectiveUntil(preservedUntil, noticeClosedAt, preservationDays) {
    if (preservedUntil)
        return preservedUntil;
    return noticeClosedAt ? addDays(noticeClosedAt, preservationDays) : null;
}
