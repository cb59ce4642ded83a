/**
 * Law-enforcement data requests (MR5/2020: access for law enforcement), as plain rules. An
 * authority (an organisation of kind law_enforcement or government, or a court) asks for
 * data about a subject, with a legal basis, a scope (data categories and a time range) and
 * an urgency; a platform lead approves it (fully or partly) or refuses it with reasons.
 */
export const dataCategories = [
  /** What tapis knows of the subject itself: its identity as notices and cases name it. */
  'subject',
  /** Notices naming the subject (or a message of the channel) received in the period. */
  'notices',
  /** Decisions about it in the period, with their grounds and statements of reasons. */
  'decisions',
  /** Enforcement actions taken on the platform in the period. */
  'enforcement',
  /** What is preserved (TCO Art. 6): metadata and digests, never the bytes. */
  'preserved_content',
] as const;
export type DataCategory = (typeof dataCategories)[number];

/** Organisation kinds whose users may ask (the roles-by-kind rule: flagger roles of an authority). */
export const requesterKinds: readonly string[] = ['law_enforcement', 'government', 'court'];

export const MAX_PERIOD_DAYS = 3660;

export type ClockState = 'on_time' | 'at_risk' | 'breached' | 'answered';

/**
 * The clock's marks: each at-risk threshold of the SOP policy (a share of the time allowed),
 * then the deadline itself. `announced` marks have been told already.
 */
export function nextMark(
  received: Date,
  due: Date,
  thresholds: readonly number[],
  announced: number,
): { at: Date; kind: 'at_risk' | 'breached'; index: number } | null {
  const marks = [...[...thresholds].sort((a, b) => a - b), 1];
  if (announced >= marks.length) return null;
  const share = marks[announced]!;
  const span = due.getTime() - received.getTime();
  return {
    at: new Date(received.getTime() + Math.round(span * share)),
    kind: share >= 1 ? 'breached' : 'at_risk',
    index: announced,
  };
}

export function clockState(
  row: { received_at: Date; due_at: Date; decided_at: Date | null },
  thresholds: readonly number[],
  now: Date,
): ClockState {
  if (row.decided_at) return 'answered';
  if (now.getTime() >= row.due_at.getTime()) return 'breached';
  const first = Math.min(...thresholds, 1);
  const span = row.due_at.getTime() - row.received_at.getTime();
  return now.getTime() >= row.received_at.getTime() + span * first ? 'at_risk' : 'on_time';
}
