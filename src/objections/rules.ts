/**
 * The rules of an objection (SAMAN's "sanggah"), as plain functions. The notifier objects
 * to the decision on its notice; a reviewer who neither made nor approved that decision
 * answers it, routed like the case (jurisdiction and language), within the SOP policy's
 * time; the answer either maintains the decision, with reasons, or reopens the case for a
 * new decision.
 */
export const objectionOutcomes = ['maintained', 'reopened'] as const;
export type ObjectionOutcome = (typeof objectionOutcomes)[number];

/** Notice statuses that carry a decision a notifier can object to. */
export const objectableStatuses = ['actioned', 'partially_actioned', 'no_action', 'rejected', 'impossible'];

/** Whoever made or approved a decision objected to does not answer the objection. */
export function tookPartInAny(deciders: readonly string[], reviewerId: string): boolean {
  return deciders.includes(reviewerId);
}

export const differentReviewer =
  'you made or approved the decision objected to; a different reviewer answers the objection';
