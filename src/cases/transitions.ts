/**
 * The case state machine, as one table (as Ozone keeps its report states). Every state
 * change of a case is an event; `transition` is the one function that says whether an
 * event may move a case from its status to the status asked for. The projection (the
 * `cases` row) and the event log are written together by src/cases/case-events.ts.
 *
 *   open ──claimed──▶ in_review ──decided──▶ pending_approval ──approved──▶ actioning ──▶ closed
 *     ▲                  │  │                       │                        │
 *     └──released────────┘  └─clarification_requested─▶ awaiting_clarification ─answered─▶ open
 *   closed ──appealed──▶ under_appeal ──appeal_decided──▶ reverting ──reverted──▶ closed
 *                                     └─appeal_decided─▶ open (a notifier's appeal upheld: decide again)
 *                                     └─appeal_decided─▶ closed | actioning | action_failed (the decision stands)
 */
export const caseStatuses = [
  'open',
  'escalated',
  'in_review',
  'awaiting_clarification',
  'pending_approval',
  'actioning',
  'action_failed',
  'closed',
  'under_appeal',
  'reverting',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Statuses in which a case is still being worked on, before any decision. */
export const undecided: readonly CaseStatus[] = ['open', 'escalated', 'in_review', 'awaiting_clarification'];
const everyStatus = caseStatuses;
const notClosed = caseStatuses.filter((s) => s !== 'closed');

interface Rule {
  from: readonly CaseStatus[];
  /** The statuses the event may lead to; `same` keeps the status as it is. */
  to: readonly CaseStatus[] | 'same';
}

export const transitions = {
  opened: { from: ['open'], to: 'same' },
  notice_joined: { from: notClosed, to: 'same' },
  // Automated detection (src/scanning/detections.ts): a further match joins the case as evidence.
  detected: { from: everyStatus, to: 'same' },
  claimed: { from: ['open', 'escalated', 'in_review'], to: ['in_review'] },
  lease_renewed: { from: ['in_review'], to: 'same' },
  released: { from: ['in_review'], to: ['open', 'escalated'] },
  reassigned: { from: ['open', 'escalated', 'in_review'], to: ['in_review'] },
  commented: { from: everyStatus, to: 'same' },
  escalated: { from: ['open', 'in_review'], to: ['escalated'] },
  clarification_requested: { from: ['in_review'], to: ['awaiting_clarification'] },
  clarification_answered: { from: ['awaiting_clarification'], to: ['open'] },
  decided: { from: ['in_review'], to: ['pending_approval', 'actioning', 'closed'] },
  approved: { from: ['pending_approval'], to: ['actioning', 'closed'] },
  approval_refused: { from: ['pending_approval'], to: ['open'] },
  // An action may finish while an appeal is already open: the case stays under appeal.
  action_applied: {
    from: ['actioning', 'action_failed', 'under_appeal'],
    to: ['actioning', 'action_failed', 'closed', 'under_appeal'],
  },
  action_failed: {
    from: ['actioning', 'action_failed', 'under_appeal'],
    to: ['action_failed', 'under_appeal'],
  },
  action_retried: { from: ['action_failed'], to: ['actioning'] },
  appealed: { from: ['closed', 'actioning', 'action_failed'], to: ['under_appeal'] },
  appeal_claimed: { from: ['under_appeal'], to: 'same' },
  appeal_reassigned: { from: ['under_appeal'], to: 'same' },
  // Upheld: an affected user's appeal reverts (reverting, or closed when nothing is left to
  // undo); a notifier's appeal sends the case back to the queue for a new decision (open).
  // Rejected: the decision stands, and the case goes back to where its enforcement is.
  appeal_decided: {
    from: ['under_appeal'],
    to: ['closed', 'reverting', 'open', 'actioning', 'action_failed'],
  },
  reverted: { from: ['reverting'], to: ['reverting', 'closed'] },
  revert_failed: { from: ['reverting'], to: ['reverting'] },
  legal_hold_placed: { from: everyStatus, to: 'same' },
  legal_hold_released: { from: everyStatus, to: 'same' },
  content_revealed: { from: everyStatus, to: 'same' },
  purged: { from: everyStatus, to: 'same' },
  // The clocks of an appeal or an objection on the case (src/deadlines/): marks, no move.
  deadline_at_risk: { from: everyStatus, to: 'same' },
  deadline_breached: { from: everyStatus, to: 'same' },
  // An objection (SAMAN "sanggah") on the case's notice was lodged, and answered: the
  // decision stands, or the case goes back to the queue for a new one (src/objections/).
  objection_received: { from: everyStatus, to: 'same' },
  objection_maintained: { from: everyStatus, to: 'same' },
  objection_reopened: { from: ['closed'], to: ['open'] },
} as const satisfies Record<string, Rule>;

export type CaseEventType = keyof typeof transitions;
export const caseEventTypes = Object.keys(transitions) as CaseEventType[];

export class TransitionRefused extends Error {
  constructor(
    readonly event: CaseEventType,
    readonly from: CaseStatus,
    readonly to: CaseStatus,
  ) {
    super(
      from === to && (transitions[event] as Rule).to !== 'same'
        ? `a case that is ${from.replaceAll('_', ' ')} cannot be ${event.replaceAll('_', ' ')}`
        : `a case that is ${from.replaceAll('_', ' ')} cannot be ${event.replaceAll('_', ' ')}${from === to ? '' : ` into ${to.replaceAll('_', ' ')}`}`,
    );
  }
}

/** The status after `event`, or a TransitionRefused. `to` is required where the event may lead to several. */
export function transition(from: CaseStatus, event: CaseEventType, to?: CaseStatus): CaseStatus {
  const rule: Rule = transitions[event];
  if (!rule.from.includes(from)) throw new TransitionRefused(event, from, to ?? from);
  if (rule.to === 'same') {
    if (to !== undefined && to !== from) throw new TransitionRefused(event, from, to);
    return from;
  }
  const next = to ?? (rule.to.length === 1 ? rule.to[0] : undefined);
  if (next === undefined || !rule.to.includes(next)) throw new TransitionRefused(event, from, next ?? from);
  return next;
}
