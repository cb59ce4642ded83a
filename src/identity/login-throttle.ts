/**
 * Login throttling by a growing delay, not a hard lock (issue 15, defect 5). A lock lets
 * anyone who knows an e-mail address shut its owner out, and, behind a proxy that hides
 * clients' addresses, lets one person's typos shut out everyone. Instead each failure past
 * a few free ones doubles the wait before the next try is heard, per account and per
 * address; a try made too early is refused without being counted, so hammering does not
 * lengthen the wait, and a right password once the wait is over gets in.
 *
 * Pure: the failures (newest last) and the time come in.
 */
export interface ThrottleRule {
  /** Failures within the window that cost nothing. */
  free: number;
  /** The wait after the first failure past the free ones; it doubles with each more. */
  baseMs: number;
  maxMs: number;
}

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export function accountRule(freeFailures: number): ThrottleRule {
  return { free: freeFailures, baseMs: 1_000, maxMs: LOGIN_WINDOW_MS };
}

/**
 * An address gets more free tries than an account (an office or a carrier shares one) and a
 * shorter longest wait, so that a shared address is slowed, never shut out.
 */
export function addressRule(freeFailures: number): ThrottleRule {
  return { free: freeFailures * 5, baseMs: 1_000, maxMs: 60_000 };
}

/** How long after the latest failure the next try must wait; 0 when it may go now. */
export function waitAfter(rule: ThrottleRule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(30, failures - rule.free));
}

/** Milliseconds left before a try is heard (0: now), given failures' times, newest last. */
export function msUntilAllowed(rule: ThrottleRule, failures: readonly Date[], now: Date): number {
  const latest = failures.at(-1);
  if (!latest) return 0;
  return Math.max(0, latest.getTime() + waitAfter(rule, failures.length) - now.getTime());
}
