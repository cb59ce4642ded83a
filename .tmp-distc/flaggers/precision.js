const restrictive = new Set(['removed', 'restricted_in_jurisdiction', 'suspended', 'labelled']);
const refused = new Set(['no_action', 'rejected_unsubstantiated']);
/** Was the decision reversed on the affected user's appeal? */
export function reversedOnAppeal(row) {
    return (row.reverted_at !== null ||
        row.outcome === 'reverted' ||
        row.case_outcome === 'reverted' ||
        row.appeals.some((a) => a.appellant_type === 'affected_user' && a.outcome === 'upheld'));
}
/** Did the notifier's appeal against a refusal succeed? */
export function overturnedForNotifier(row) {
    return row.appeals.some((a) => a.appellant_type === 'notifier' && a.outcome === 'upheld');
}
export function verdictOf(row) {
    if (row.outcome === null)
        return 'undecided';
    if (restrictive.has(row.outcome) || row.outcome === 'reverted')
        return reversedOnAppeal(row) ? 'not_upheld' : 'upheld';
    if (refused.has(row.outcome))
        return overturnedForNotifier(row) ? 'upheld' : 'not_upheld';
    return 'excluded';
}
export const WINDOW_DAYS = 90;
const DAY = 86_400_000;
/** The figure over the rows given: they are exactly the rows behind it. */
export function figureOf(rows) {
    const figure = {
        precision: null,
        upheld: 0,
        not_upheld: 0,
        decided: 0,
        reversed_on_appeal: 0,
        overturned_for_notifier: 0,
        notices: 0,
        excluded: 0,
        undecided: 0,
    };
    const notices = new Set();
    for (const row of rows) {
        const verdict = verdictOf(row);
        if (verdict === 'undecided')
            figure.undecided += 1;
        else if (verdict === 'excluded')
            figure.excluded += 1;
        else {
            notices.add(row.notice_id);
            if (verdict === 'upheld') {
                figure.upheld += 1;
                if (refused.has(row.outcome))
                    figure.overturned_for_notifier += 1;
            }
            else {
                figure.not_upheld += 1;
                if (!refused.has(row.outcome))
                    figure.reversed_on_appeal += 1;
            }
        }
    }
    figure.decided = figure.upheld + figure.not_upheld;
    figure.notices = notices.size;
    figure.precision = figure.decided > 0 ? figure.upheld / figure.decided : null;
    return figure;
}
/**
 * Is the row in the period? Decided rows by their decision's date, undecided ones by
 * when the notice arrived. A reversal on appeal changes the row's verdict, not its date.
 */
export function inPeriod(row, from, to) {
    const at = (row.outcome === null ? row.received_at : (row.decided_at ?? row.received_at)).getTime();
    return at >= from.getTime() && at <= to.getTime();
}
export function windowStart(now, days = WINDOW_DAYS) {
    return new Date(now.getTime() - days * DAY);
}
/** The rolling 90-day figure and the all-time one. */
export function figuresOf(rows, now) {
    const from = windowStart(now);
    return { last_90_days: figureOf(rows.filter((r) => inPeriod(r, from, now))), all_time: figureOf(rows) };
}
/** The rows behind a figure: the counted ones, without the excluded and the undecided. */
export function countedRows(rows) {
    return rows.filter((r) => {
        const verdict = verdictOf(r);
        return verdict === 'upheld' || verdict === 'not_upheld';
    });
}
/** Below the threshold, on enough decided notices for the figure to mean something. */
export function isBelowThreshold(figure, settings) {
    return (figure.precision !== null &&
        figure.decided >= settings.minDecided &&
        figure.precision < settings.threshold);
}
