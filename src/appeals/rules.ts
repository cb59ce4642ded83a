import type { CaseStatus } from '../cases/transitions.ts';
import { APPEAL_WINDOW_MONTHS, addMonths } from '../decisions/statement-links.ts';

/**
 * The rules of an appeal (the DSA's "internal complaint"), as plain functions: who may
 * appeal what and until when, who may decide it, and where the case goes afterwards.
 */
export const appealOutcomes = ['upheld', 'rejected'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];
export type AppellantType = 'affected_user' | 'notifier';

/** Appeals are worked under a lease, as cases are: two reviewers never decide one appeal. */
export const APPEAL_LEASE_MS = 5 * 60_000;

/** An appeal still waiting for its decision (the unique index allows one per decision and appellant type). */
export const undecidedAppealStatuses = ['open', 'in_review'] as const;

/**
 * DSA Art. 20(1): the notifier may complain about a decision not to act on its notice.
 * A decision that restricted the content is the affected user's to appeal, through the
 * statement of reasons.
 */
const notifierAppealable = new Set(['no_action', 'reject_unsubstantiated']);

export function notifierMayAppeal(decisionOutcome: string): boolean {
  return notifierAppealable.has(decisionOutcome);
}

/** DSA Art. 20(1): six months from the decision. A decision under four-eyes is taken when it is approved. */
export function appealDeadline(decision: { created_at: Date; approved_at: Date | null }): Date {
  return addMonths(decision.approved_at ?? decision.created_at, APPEAL_WINDOW_MONTHS);
}

/** Why an appeal lodged now is too late, or null when it is in time. */
export function tooLate(until: Date, now: Date): string | null {
  if (now.getTime() <= until.getTime()) return null;
  return (
    `the six months to appeal this decision ended on ${until.toISOString().slice(0, 10)} (DSA Art. 20(1)); ` +
    'an out-of-court dispute settlement body (DSA Art. 21) or a court can still hear it'
  );
}

/**
 * DSA Art. 20(4)-(6): a complaint is decided by someone other than whoever made the decision,
 * and under four-eyes whoever approved it took part in it too.
 */
export function tookPartIn(
  decision: { decided_by: string; approved_by: string | null },
  reviewerId: string,
): boolean {
  return decision.decided_by === reviewerId || decision.approved_by === reviewerId;
}

export interface ActionState {
  type: string;
  status: string;
}

/**
 * Actions of the decision still on their way to the platform. Reversing the decision while
 * one is in flight could leave it applied after the reverts ran, so an upheld appeal waits
 * for them. The statement's delivery is not reverted, so it does not count.
 */
export function inFlight(actions: readonly ActionState[]): ActionState[] {
  return actions.filter((a) => a.status === 'pending' && a.type !== 'deliver_statement');
}

/** Where a case goes when its decision stands: back to where its enforcement is. */
export function standingStatus(actions: readonly ActionState[]): CaseStatus {
  if (actions.some((a) => a.status === 'failed')) return 'action_failed';
  if (actions.some((a) => a.status === 'pending')) return 'actioning';
  return 'closed';
}

/** The case status an appeal's decision leads to (see the appeal_decided row of src/cases/transitions.ts). */
export function statusAfterAppeal(appeal: {
  appellant: AppellantType;
  outcome: AppealOutcome;
  /** Reverts scheduled for an upheld affected user's appeal. */
  reverts: number;
  actions: readonly ActionState[];
}): CaseStatus {
  if (appeal.outcome === 'rejected') return standingStatus(appeal.actions);
  // A notifier was right that something should be done: the case is decided again.
  if (appeal.appellant === 'notifier') return 'open';
  // TCO Art. 10(2) / DSA Art. 20(4): an upheld complaint reverses the decision without undue delay.
  return appeal.reverts > 0 ? 'reverting' : 'closed';
}
