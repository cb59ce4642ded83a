const HOUR = 3_600_000;
/** Milliseconds the clock stood still up to `now`. */
export function pausedMs(pauses, now) {
    return pauses.reduce((total, p) => {
        const end = Math.min((p.to ?? now).getTime(), now.getTime());
        return total + Math.max(0, end - p.from.getTime());
    }, 0);
}
export function isPaused(pauses, now) {
    return pauses.some((p) => p.from <= now && (p.to === null || p.to > now));
}
/** When the time runs out: receipt + allowed hours + time paused so far. */
export function dueAt(receivedAt, hours, pauses, now) {
    return new Date(receivedAt.getTime() + hours * HOUR + pausedMs(pauses, now));
}
/** Share of the allowed time used, net of pauses: 0 at receipt, 1 at the deadline. */
export function elapsedShare(receivedAt, hours, pauses, now) {
    const active = now.getTime() - receivedAt.getTime() - pausedMs(pauses, now);
    return Math.max(0, active) / (hours * HOUR);
}
export function clockState(receivedAt, hours, pauses, now, thresholds = [0.5, 0.8], stoppedAt = null) {
    if (stoppedAt && stoppedAt <= now)
        return 'stopped';
    const share = elapsedShare(receivedAt, hours, pauses, now);
    if (share >= 1)
        return 'breached';
    if (isPaused(pauses, now))
        return 'paused';
    const firstRisk = Math.min(...thresholds, 1);
    return share >= firstRisk ? 'at_risk' : 'running';
}
/**
 * The marks of a clock measured against the legal deadline: the at-risk thresholds, the
 * internal target when it falls earlier, and the breach.
 */
export function marks(thresholds, targetShare = 1) {
    const list = thresholds.map((share) => ({ kind: 'at_risk', share }));
    if (targetShare < 1)
        list.push({ kind: 'target_missed', share: targetShare });
    list.push({ kind: 'breached', share: 1 });
    return list.sort((a, b) => a.share - b.share);
}
/**
 * The wall-clock time at which a mark will be crossed if the clock keeps running from
 * `now` (a paused clock crosses nothing: null). Used to schedule the next clock event.
 */
export function markTime(receivedAt, hours, pauses, now, share) {
    if (isPaused(pauses, now))
        return null;
    return new Date(receivedAt.getTime() + share * hours * HOUR + pausedMs(pauses, now));
}
/** The marks crossed by `now` after the first `announced` ones, in order. */
export function dueMarks(receivedAt, hours, pauses, now, allMarks, announced) {
    const share = elapsedShare(receivedAt, hours, pauses, now);
    return allMarks.slice(announced).filter((m) => share >= m.share);
}
