/**
 * How a case ends. A subject whose latest decided case restricted it, and was not
 * reverted since, is "already actioned": a new notice about it is answered so at once.
 */
export const caseOutcomes = [
  'removed',
  'restricted_in_jurisdiction',
  'suspended',
  'labelled',
  'no_action',
  'rejected_unsubstantiated',
  'impossible',
  'reverted',
] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];

export const restrictiveOutcomes: readonly CaseOutcome[] = [
  'removed',
  'restricted_in_jurisdiction',
  'suspended',
];

export function isRestrictive(outcome: string | null): boolean {
  return outcome !== null && (restrictiveOutcomes as readonly string[]).includes(outcome);
}
