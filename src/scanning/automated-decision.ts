import { type CaseRow, lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { newId } from '../core/ids.ts';
import { finaliseDecision } from '../decisions/finalise.ts';
import {
  type DecisionFacts,
  defaultActionRequests,
  fourEyesRuleFor,
  planActions,
} from '../decisions/outcomes.ts';
import type { EnforcementSubject } from '../enforcement/connectors/connector.ts';
import { platformConnector } from '../enforcement/registry.ts';
import type { SystemActor } from '../identity/actor.ts';
import type { SopPolicy } from '../policy/sop-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import type { BankMatch } from '../screening/banks/bank-matcher.ts';
import type { Db } from '../store/db.ts';
import type { AutoAction, Grounds } from '../store/schema/index.ts';

/**
 * A bank (or an incident) with policy auto_action acts at once: the scanner claims the case,
 * records a decision marked fully automated (DSA Art. 17(3)(c)) and finalises it like any
 * other, so it has a statement of reasons, enforcement jobs through the connectors and an
 * appeal route. It steps back, leaving the case to a person, when the action cannot be
 * undone, when no connector can do it, or when the SOP's four-eyes rule covers it: an
 * automated decision never does what a reviewer would have to acknowledge or have approved.
 */
export const SCANNER_ID = '00000000-0000-4000-8000-00000005ca11';
export const scannerActor: SystemActor = { type: 'system', id: SCANNER_ID };

export type AutoOutcome =
  | { decided: true; decision_id: string; actions: number }
  | { decided: false; reason: string };

export async function decideAutomatically(
  ctx: AppContext,
  trx: Db,
  caseId: string,
  action: AutoAction,
  match: BankMatch,
  policy: SopPolicy,
  now: Date,
): Promise<AutoOutcome> {
  const current = await lockCase(trx, caseId);
  if (current.status !== 'open') return { decided: false, reason: `the case is ${current.status}` };
  const facts: DecisionFacts = {
    outcome: action.outcome,
    territories: action.territories ?? [],
    suspension: action.outcome === 'suspend' ? { target: 'channel', until: null } : null,
    label: action.label ?? (action.outcome === 'label' ? 'terrorist content' : null),
    category: current.category,
  };
  const subject = current.subject as unknown as EnforcementSubject;
  // The platform's own connector when configured, else the demo platform (demo mode).
  const connector = platformConnector(ctx.connectors);
  if (!connector) return { decided: false, reason: 'no enforcement connector is configured' };
  const plan = planActions(
    defaultActionRequests(facts, subject as { kind: string }, connector),
    subject,
    ctx.connectors,
  );
  if (!plan.ok) return { decided: false, reason: plan.reason };
  if (plan.actions.some((a) => !a.revertible))
    return { decided: false, reason: 'the action cannot be undone: a person decides' };
  if (fourEyesRuleFor(policy.four_eyes, facts))
    return { decided: false, reason: 'the four-eyes rule covers it: a person decides' };

  const claimed: CaseRow = await recordCaseEvent(
    trx,
    current,
    scannerActor,
    {
      type: 'claimed',
      to: 'in_review',
      data: { automated: true },
      set: { assigned_to: SCANNER_ID, lease_until: new Date(now.getTime() + 60_000) },
    },
    now,
  );
  const explanation =
    `The content matches a ${match.signal_type} hash in the bank '${match.bank.name}' at distance ` +
    `${match.distance} (entry ${match.provenance.entry_id}, source ${match.provenance.source}` +
    `${match.provenance.case_id ? `, from case ${match.provenance.case_id}` : ''}); the bank's policy acts automatically.`;
  const grounds: Grounds = {
    incompatible: { ground: 'Terms of service: terrorist and violent extremist content', explanation },
  };
  const decisionId = newId();
  await trx
    .insertInto('decisions')
    .values({
      id: decisionId,
      case_id: caseId,
      decided_by: SCANNER_ID,
      outcome: action.outcome,
      grounds: JSON.stringify(grounds),
      territories: facts.territories,
      suspension: JSON.stringify(facts.suspension),
      label: facts.label,
      actions: JSON.stringify(plan.actions),
      irreversible: false,
      irreversible_acknowledged: false,
      automated_detection: true,
      automated_decision: true,
      automation: 'fully',
      bank_id: match.bank.id,
      match_distance: match.distance,
      language: current.language,
      template_id: null,
      status: 'final',
      needs_approval: null,
      created_at: now,
    })
    .execute();
  const done = await finaliseDecision(
    ctx,
    trx,
    claimed,
    scannerActor,
    'decided',
    {
      outcome: action.outcome,
      grounds,
      facts: explanation,
      content_type: [contentTypeOf(match.signal_type)],
    },
    { id: decisionId, actions: plan.actions, facts },
    now,
  );
  return { decided: true, decision_id: decisionId, actions: done.actions.length };
}

/** The Transparency Database's content type of what the matched signal was computed from. */
function contentTypeOf(signal: string): string {
  if (signal === 'pdq') return 'CONTENT_TYPE_IMAGE';
  if (signal === 'text_sha256' || signal === 'text_simhash') return 'CONTENT_TYPE_TEXT';
  return 'CONTENT_TYPE_OTHER';
}
