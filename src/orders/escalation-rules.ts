import type { EscalationStep } from '../policy/channel-policy.ts';
import { escalationSteps } from '../policy/channel-policy.ts';

/**
 * SAMAN's escalation ladder for a breached order, as plain functions (docs/decisions/0017):
 * order → first warning → second warning with an administrative fine → access-blocking
 * recommendation. The ministry issues each step (a warning and a fine are its legal acts,
 * not the platform's); tapis lets a step be issued only once the order's deadline, or the
 * previous step's, has passed without the order being carried out, and gives each step its
 * own deadline from the SOP policy.
 */
export interface LadderFacts {
  kind: 'notice' | 'order';
  jurisdiction: string;
  /** The order's legal deadline (net of pauses) and whether its clock is stopped or paused. */
  legalDueAt: Date;
  closedAt: Date | null;
  pausedSince: Date | null;
  /** Steps issued so far, in order, with their deadlines. */
  issued: { step: EscalationStep; due_at: Date }[];
}

export function nextStep(issued: readonly { step: EscalationStep }[]): EscalationStep | null {
  return escalationSteps[issued.length] ?? null;
}

/** When the next step may be issued (the breach it answers), or null when none can be. */
export function nextStepFrom(facts: LadderFacts): Date | null {
  const last = facts.issued[facts.issued.length - 1];
  if (!nextStep(facts.issued)) return null;
  return last ? last.due_at : facts.legalDueAt;
}

/** Why `step` cannot be issued now, or null when it can. */
export function refusal(
  facts: LadderFacts,
  step: EscalationStep,
  ladderJurisdictions: readonly string[],
  now: Date,
): string | null {
  if (facts.kind !== 'order') return 'the escalation ladder follows orders, not notices';
  if (!ladderJurisdictions.includes(facts.jurisdiction))
    return `the escalation ladder applies in ${ladderJurisdictions.join(', ') || 'no jurisdiction'}, not ${facts.jurisdiction}`;
  if (facts.closedAt)
    return `the order was settled on ${facts.closedAt.toISOString()}; there is nothing to escalate`;
  const expected = nextStep(facts.issued);
  if (!expected) return 'the ladder is complete: an access-blocking recommendation was issued';
  if (step !== expected) return `the next step of the ladder is ${expected}`;
  if (facts.pausedSince && facts.issued.length === 0)
    return 'the order’s clock is paused (clarification or impossibility); it cannot be breached while paused';
  const from = nextStepFrom(facts)!;
  if (now < from)
    return `${facts.issued.length === 0 ? 'the order' : `the ${facts.issued[facts.issued.length - 1]!.step.replaceAll('_', ' ')}`} is not breached yet: its deadline is ${from.toISOString()}`;
  return null;
}
