export const defaultBackoff = { baseMs: 1000, maxMs: 60 * 60 * 1000, maxAttempts: 25 };
export function retryDelayMs(policy, attempts, random = Math.random) {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
    // Never less than half the ceiling, so that a retry storm still spreads out.
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
