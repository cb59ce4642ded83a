import { conflict, type DomainError, type FieldIssue, invalid } from '../core/errors.ts';

/**
 * A flagger's status and the rules for changing it, as plain functions.
 *
 * - trusted: designated for an area (categories, jurisdictions; empty means all) by an
 *   authority that is recorded (DSA Art. 22(2)); its notices there are handled first.
 * - regular: an ordinary notifier. Suspending or revoking the *trusted* status (DSA Art.
 *   22(6)-(7)) is a change to regular, with its reasons. Art. 22(7) asks that the flagger be
 *   heard first; tapis does not hold that hearing yet (docs/conformance.md, TF-6).
 * - suspended: its notices are not processed for a period (DSA Art. 23(2)): intake
 *   refuses them. Only after a prior warning, and always with an end date; a scheduled job
 *   (src/flaggers/suspensions.ts) returns the flagger to its previous status then.
 */
export const flaggerStatuses = ['trusted', 'regular', 'suspended'] as const;
export type FlaggerStatus = (typeof flaggerStatuses)[number];

/**
 * The allowed changes: every status may move to every other. A change to the same status
 * is allowed where it changes something: a trusted flagger's designation, a suspension's
 * end date. What each target status needs is in `planStatusChange`.
 */
export const statusTransitions: Record<FlaggerStatus, readonly FlaggerStatus[]> = {
  trusted: ['regular', 'suspended', 'trusted'],
  regular: ['trusted', 'suspended', 'regular'],
  suspended: ['trusted', 'regular', 'suspended'],
};

export interface FlaggerFacts {
  flagger_status: FlaggerStatus;
  designated_by: string | null;
  designated_categories: string[];
  designated_jurisdictions: string[];
  suspended_until: Date | null;
  /** The latest warning (DSA Art. 23(2)), if any. */
  last_warning_at: Date | null;
  /** When the latest suspension began, if any: a warning counts for the suspension after it. */
  last_suspension_at: Date | null;
}

export interface StatusChangeInput {
  status: FlaggerStatus;
  reasons: string;
  designated_by?: string | undefined;
  designated_categories?: string[] | undefined;
  designated_jurisdictions?: string[] | undefined;
  until?: Date | undefined;
}

/** What the organisation becomes. */
export interface PlannedStatus {
  from: FlaggerStatus;
  to: FlaggerStatus;
  designated_by: string | null;
  designated_categories: string[];
  designated_jurisdictions: string[];
  suspended_until: Date | null;
}

export function planStatusChange(
  current: FlaggerFacts,
  input: StatusChangeInput,
  now: Date,
): PlannedStatus | DomainError {
  if (!statusTransitions[current.flagger_status].includes(input.status)) {
    return conflict(`a ${current.flagger_status} flagger cannot become ${input.status}`);
  }
  const issues: FieldIssue[] = [];
  const designating =
    input.designated_by !== undefined ||
    input.designated_categories !== undefined ||
    input.designated_jurisdictions !== undefined;
  if (designating && input.status !== 'trusted') {
    issues.push({ pointer: '/designated_by', detail: 'a designation belongs to a change to trusted' });
  }
  const designatedBy = input.designated_by ?? current.designated_by;
  if (input.status === 'trusted' && !designatedBy) {
    issues.push({
      pointer: '/designated_by',
      detail: 'say who designated the flagger (DSA Art. 22(2)), e.g. the Digital Services Coordinator',
    });
  }
  if (input.until !== undefined && input.status !== 'suspended') {
    issues.push({ pointer: '/until', detail: 'only a suspension has an end date' });
  }
  if (input.status === 'suspended') {
    if (input.until === undefined)
      issues.push({
        pointer: '/until',
        detail: 'a suspension is for a period (DSA Art. 23(2)): give its end date',
      });
    else if (input.until.getTime() <= now.getTime())
      issues.push({ pointer: '/until', detail: 'the end of the suspension must be in the future' });
  }
  if (issues.length > 0) return invalid(`${issues[0]!.pointer.slice(1)}: ${issues[0]!.detail}`, issues);

  if (
    input.status === 'suspended' &&
    current.flagger_status !== 'suspended' &&
    !warnedSinceLastSuspension(current)
  ) {
    return conflict(
      'a notifier is suspended only after a prior warning (DSA Art. 23(2)): warn it first (POST /v1/flaggers/:slug/warnings)',
    );
  }

  const planned: PlannedStatus = {
    from: current.flagger_status,
    to: input.status,
    designated_by: input.status === 'trusted' ? designatedBy! : current.designated_by,
    designated_categories:
      input.status === 'trusted'
        ? (input.designated_categories ?? current.designated_categories)
        : current.designated_categories,
    designated_jurisdictions:
      input.status === 'trusted'
        ? (input.designated_jurisdictions ?? current.designated_jurisdictions)
        : current.designated_jurisdictions,
    suspended_until: input.status === 'suspended' ? input.until! : null,
  };
  if (input.status === current.flagger_status && sameAs(current, planned)) {
    return conflict(
      `the flagger is already ${input.status}${input.status === 'trusted' ? ' with that designation' : input.status === 'suspended' ? ' until then' : ''}`,
    );
  }
  return planned;
}

/** DSA Art. 23(2): "after having issued a prior warning" — one warning per suspension. */
export function warnedSinceLastSuspension(
  facts: Pick<FlaggerFacts, 'last_warning_at' | 'last_suspension_at'>,
): boolean {
  if (!facts.last_warning_at) return false;
  return !facts.last_suspension_at || facts.last_warning_at.getTime() > facts.last_suspension_at.getTime();
}

function sameAs(current: FlaggerFacts, planned: PlannedStatus): boolean {
  const sameList = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n');
  return (
    current.designated_by === planned.designated_by &&
    sameList(current.designated_categories, planned.designated_categories) &&
    sameList(current.designated_jurisdictions, planned.designated_jurisdictions) &&
    (current.suspended_until?.getTime() ?? null) === (planned.suspended_until?.getTime() ?? null)
  );
}

export interface StatusChangeFact {
  from_status: string | null;
  to_status: string;
}

/**
 * Where an ended suspension returns the flagger: the status it had before the suspension
 * began (an extension, suspended → suspended, is looked through). Regular when unknown.
 * The history comes oldest first, in the order the changes were made (two can share a
 * timestamp).
 */
export function statusBeforeSuspension(history: readonly StatusChangeFact[]): FlaggerStatus {
  for (const change of [...history].reverse()) {
    if (change.to_status !== 'suspended') break;
    if (change.from_status !== 'suspended')
      return isFlaggerStatus(change.from_status) ? change.from_status : 'regular';
  }
  return 'regular';
}

export function isFlaggerStatus(value: string | null): value is FlaggerStatus {
  return value !== null && (flaggerStatuses as readonly string[]).includes(value);
}

/**
 * May this notifier's notices be processed now? DSA Art. 23(2): not while suspended. The
 * answer says until when, for the refusal.
 */
export function mayNotify(
  org: { flagger_status: string | null; suspended_until: Date | null },
  now: Date,
): { ok: true } | { ok: false; until: Date | null; reason: string } {
  if (org.flagger_status !== 'suspended') return { ok: true };
  const until = org.suspended_until;
  if (until && until.getTime() <= now.getTime()) return { ok: true };
  return {
    ok: false,
    until,
    reason: `your organisation’s notices are suspended${until ? ` until ${until.toISOString()}` : ''} (DSA Art. 23(2)); contact the platform`,
  };
}
