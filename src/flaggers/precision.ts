/**
 * A flagger's precision: the share of its notices' decided targets that were upheld, net
 * of appeal reversals (DSA Art. 22(6); RULEBOOK "No shortcut past review": keep each
 * flagger's accuracy, including appeal reversals). Pure functions over plain rows; the
 * rows come from src/flaggers/judged-targets.ts.
 *
 * The unit is the notice target: one item a notice names, judged on its own. A notice
 * naming three channels of which two were removed counts two upheld and one not.
 *
 * What counts:
 * - upheld: the item was restricted (removed, restricted in the jurisdiction, suspended,
 *   or labelled: a label is a visibility restriction in the Transparency Database's
 *   taxonomy), and the decision stands;
 * - not upheld: no action, or rejected as unsubstantiated; and a restriction later
 *   reversed on the affected user's appeal (DSA Art. 20(4));
 * - upheld after all: a no-action decision that the notifier's own appeal overturned;
 * - excluded: `impossible` (the platform could not act: says nothing about the notice's
 *   merit) and `already_actioned` (the item was gone before this notice was judged), and
 *   any outcome this module does not know;
 * - undecided: no outcome yet (in review, awaiting clarification or a second reviewer).
 */
export interface AppealFact {
  appellant_type: 'affected_user' | 'notifier';
  outcome: 'upheld' | 'rejected';
  decided_at: Date;
}

export interface JudgedTarget {
  org_id: string;
  notice_id: string;
  target_idx: number;
  received_at: Date;
  category: string;
  reference: string | null;
  /** The item as the notifier named it. */
  target: string;
  /** The target's outcome (notice_targets.outcome); null while undecided. */
  outcome: string | null;
  /** When the decision in force was made. */
  decided_at: Date | null;
  /** The decision in force, as the reviewer decided it (e.g. `remove`). */
  decision_outcome: string | null;
  /** The case's outcome now: `reverted` once an appeal reversed it. */
  case_outcome: string | null;
  /** Set when the decision in force was reverted. */
  reverted_at: Date | null;
  /** Decided appeals against the decision in force, oldest first. */
  appeals: AppealFact[];
}

export type Verdict = 'upheld' | 'not_upheld' | 'excluded' | 'undecided';

const restrictive = new Set(['removed', 'restricted_in_jurisdiction', 'suspended', 'labelled']);
const refused = new Set(['no_action', 'rejected_unsubstantiated']);

/** Was the decision reversed on the affected user's appeal? */
export function reversedOnAppeal(row: JudgedTarget): boolean {
  return (
    row.reverted_at !== null ||
    row.outcome === 'reverted' ||
    row.case_outcome === 'reverted' ||
    row.appeals.some((a) => a.appellant_type === 'affected_user' && a.outcome === 'upheld')
  );
}

/** Did the notifier's appeal against a refusal succeed? */
export function overturnedForNotifier(row: JudgedTarget): boolean {
  return row.appeals.some((a) => a.appellant_type === 'notifier' && a.outcome === 'upheld');
}

export function verdictOf(row: JudgedTarget): Verdict {
  if (row.outcome === null) return 'undecided';
  if (restrictive.has(row.outcome) || row.outcome === 'reverted')
    return reversedOnAppeal(row) ? 'not_upheld' : 'upheld';
  if (refused.has(row.outcome)) return overturnedForNotifier(row) ? 'upheld' : 'not_upheld';
  return 'excluded';
}

export interface Figure {
  /** upheld ÷ decided, or null with nothing decided. */
  precision: number | null;
  upheld: number;
  not_upheld: number;
  /** upheld + not_upheld: the denominator. */
  decided: number;
  /** Among not_upheld: restrictions reversed on the affected user's appeal. */
  reversed_on_appeal: number;
  /** Among upheld: refusals overturned on the notifier's appeal. */
  overturned_for_notifier: number;
  /** Distinct notices behind `decided`. */
  notices: number;
  excluded: number;
  undecided: number;
}

export interface Figures {
  last_90_days: Figure;
  all_time: Figure;
}

export const WINDOW_DAYS = 90;
const DAY = 86_400_000;

/** The figure over the rows given: they are exactly the rows behind it. */
export function figureOf(rows: readonly JudgedTarget[]): Figure {
  const figure: Figure = {
    precision: null,
    upheld: 0,
    not_upheld: 0,
    decided: 0,
    reversed_on_appeal: 0,
    overturned_for_notifier: 0,
    notices: 0,
    excluded: 0,
    undecided: 0,
  };
  const notices = new Set<string>();
  for (const row of rows) {
    const verdict = verdictOf(row);
    if (verdict === 'undecided') figure.undecided += 1;
    else if (verdict === 'excluded') figure.excluded += 1;
    else {
      notices.add(row.notice_id);
      if (verdict === 'upheld') {
        figure.upheld += 1;
        if (refused.has(row.outcome!)) figure.overturned_for_notifier += 1;
      } else {
        figure.not_upheld += 1;
        if (!refused.has(row.outcome!)) figure.reversed_on_appeal += 1;
      }
    }
  }
  figure.decided = figure.upheld + figure.not_upheld;
  figure.notices = notices.size;
  figure.precision = figure.decided > 0 ? figure.upheld / figure.decided : null;
  return figure;
}

/**
 * Is the row in the period? Decided rows by their decision's date, undecided ones by
 * when the notice arrived. A reversal on appeal changes the row's verdict, not its date.
 */
export function inPeriod(row: JudgedTarget, from: Date, to: Date): boolean {
  const at = (row.outcome === null ? row.received_at : (row.decided_at ?? row.received_at)).getTime();
  return at >= from.getTime() && at <= to.getTime();
}

export function windowStart(now: Date, days = WINDOW_DAYS): Date {
  return new Date(now.getTime() - days * DAY);
}

/** The rolling 90-day figure and the all-time one. */
export function figuresOf(rows: readonly JudgedTarget[], now: Date): Figures {
  const from = windowStart(now);
  return { last_90_days: figureOf(rows.filter((r) => inPeriod(r, from, now))), all_time: figureOf(rows) };
}

/** The rows behind a figure: the counted ones, without the excluded and the undecided. */
export function countedRows<T extends JudgedTarget>(rows: readonly T[]): T[] {
  return rows.filter((r) => {
    const verdict = verdictOf(r);
    return verdict === 'upheld' || verdict === 'not_upheld';
  });
}

export interface PrecisionSettings {
  /** TAPIS_FLAGGER_PRECISION_THRESHOLD */
  threshold: number;
  /** TAPIS_FLAGGER_MIN_DECIDED: below this many decided targets in 90 days, no alert. */
  minDecided: number;
}

/** Below the threshold, on enough decided notices for the figure to mean something. */
export function isBelowThreshold(figure: Figure, settings: PrecisionSettings): boolean {
  return (
    figure.precision !== null &&
    figure.decided >= settings.minDecided &&
    figure.precision < settings.threshold
  );
}
