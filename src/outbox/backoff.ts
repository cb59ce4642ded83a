/**
 * Exponential backoff with full jitter: the n-th retry waits a random time up to
 * base·2^(n−1), capped. Jitter keeps a fleet of retries from arriving together.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** After this many failed attempts the message is dead: kept, visible, and redeliverable by hand. */
  maxAttempts: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 60 * 60 * 1000, maxAttempts: 25 };

export function retryDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  // Never less than half the ceiling, so that a retry storm still spreads out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
