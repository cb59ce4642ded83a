/**
 * Where a statement of reasons is read and appealed, and until when: one place for every
 * kind of decision (a reviewer's, a bank policy's, a repeat infringer's suspension), so the
 * links cannot drift apart again. The person opens the console's page; the same statement
 * as JSON, and its appeal, live under /v1 (DSA Art. 20).
 */
export const APPEAL_WINDOW_MONTHS = 6;

export function statementLinks(publicUrl: string, token: string): { page: string; appeal: string } {
  return {
    page: `${publicUrl}/statements/${token}`,
    appeal: `${publicUrl}/v1/statements/${token}/appeal`,
  };
}

/** The last moment an appeal is taken: six months from the decision (DSA Art. 20(1)). */
export function appealDeadline(decidedAt: Date): Date {
  return addMonths(decidedAt, APPEAL_WINDOW_MONTHS);
}

export function addMonths(date: Date, months: number): Date {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}
