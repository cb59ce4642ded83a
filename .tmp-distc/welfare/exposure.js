/**
 * Reviewer exposure, as plain functions (RULEBOOK "Reviewer welfare": exposure counted,
 * with limits and break prompts; DESIGN: media is blurred until a reviewer reveals it).
 *
 * - What counts: media (image, video, audio). Text and PDF (an official letter, a legal
 *   analysis) are recorded when revealed but are not blurred and do not count.
 * - Counted once per object per day: revealing an item and then downloading it, or opening
 *   it again, is one exposure. Every reveal is still recorded and audited.
 * - The day is the UTC day. A reviewer works cases of several jurisdictions, so the day
 *   cannot be a case's; the desk has no time zone per reviewer. UTC midnight is 07:00 in
 *   Jakarta and 01:00–02:00 in the EU: outside working hours in both, so a shift falls in
 *   one day.
 * - The limit (`TAPIS_EXPOSURE_LIMIT_PER_DAY`) is a limit, not a warning: a reveal of a new
 *   item past it is refused (429, Retry-After until the next UTC day) with a prompt to take
 *   a break. Items already revealed that day stay visible. Urgent work does not wait on it:
 *   a lead sees who is at the limit in the workload view and reassigns the case.
 * - Break prompts start at three quarters of the limit.
 */
const MEDIA = /^(image|video|audio)\//i;
export const BREAK_PROMPT_SHARE = 0.75;
const DAY_MS = 86_400_000;
export function countsAsExposure(contentType) {
    return contentType !== null && MEDIA.test(contentType);
}
/** The UTC day of an instant, as YYYY-MM-DD. */
export function utcDay(at) {
    return at.toISOString().slice(0, 10);
}
export function startOfUtcDay(at) {
    return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}
export function nextUtcDay(at) {
    return new Date(startOfUtcDay(at).getTime() + DAY_MS);
}
/** Monday 00:00 UTC of the ISO week the instant falls in. */
export function startOfUtcWeek(at) {
    const day = startOfUtcDay(at);
    const sinceMonday = (day.getUTCDay() + 6) % 7;
    return new Date(day.getTime() - sinceMonday * DAY_MS);
}
export function exposureOf(count, limit, now) {
    return {
        day: utcDay(now),
        exposure_today: count,
        limit,
        remaining: Math.max(0, limit - count),
        limit_reached: count >= limit,
        break_prompt: breakPrompt(count, limit),
        resets_at: nextUtcDay(now),
    };
}
export function breakPrompt(count, limit) {
    if (count >= limit) {
        return `You have reached today's limit of ${limit} media items. Please step away from the desk; new media stays blurred until tomorrow (UTC), and a lead can take over your cases.`;
    }
    if (count >= Math.ceil(limit * BREAK_PROMPT_SHARE)) {
        return `You have seen ${count} of today's ${limit} media items. Take a short break before the next one.`;
    }
    return null;
}
/** A new item past the limit is refused; one already seen today, or one that does not count, is not. */
export function refusesReveal(countToday, alreadySeenToday, counted, limit) {
    return counted && !alreadySeenToday && countToday >= limit;
}
/** Seconds from now to the next UTC day, for Retry-After. */
export function secondsToNextDay(now) {
    return Math.max(1, Math.ceil((nextUtcDay(now).getTime() - now.getTime()) / 1000));
}
