/**
 * How a case ends. A subject whose latest decided case restricted it, and was not
 * reverted since, is "already actioned": a new notice about it is answered so at once.
 */
export const caseOutcomes = [
  'removed',
  'restricted_in_jurisdiction',
  'suspended',
  'labelled',
  'access_disabled',
  'demoted',
  'age_restricted',
  'interaction_restricted',
  'monetisation_suspended',
  'monetisation_terminated',
  'service_suspended',
  'service_terminated',
  'no_action',
  'rejected_unsubstantiated',
  'impossible',
  'reverted',
] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];

/** Outcomes that take the subject out of reach: a new notice about it is "already actioned". */
export const restrictiveOutcomes: readonly CaseOutcome[] = [
  'removed',
  'restricted_in_jurisdiction',
  'suspended',
  'access_disabled',
  'service_suspended',
  'service_terminated',
];

export function isRestrictive(outcome: string | null): boolean {
  return outcome !== null && (restrictiveOutcomes as readonly string[]).includes(outcome);
}
