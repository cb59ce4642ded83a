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
];
export const restrictiveOutcomes = [
    'removed',
    'restricted_in_jurisdiction',
    'suspended',
];
export function isRestrictive(outcome) {
    return outcome !== null && restrictiveOutcomes.includes(outcome);
}
