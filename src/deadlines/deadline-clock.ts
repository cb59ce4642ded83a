import { newId } from '../core/ids.ts';
import { type ClockMark, type ClockState, marks } from '../policy/clock.ts';
import type { Db } from '../store/db.ts';
import type { DeadlineClocksTable } from '../store/schema/index.ts';

/**
 * The clock of something the platform owes an answer to that is not a notice: an appeal
 * (DSA Art. 20(4): timely), an objection (SAMAN "sanggah"), a step of SAMAN's escalation
 * ladder. One row per subject; the same marks as a notice's clock (the policy's at-risk
 * thresholds, then the breach), announced by src/deadlines/deadline-job.ts as the notice
 * clock job announces a notice's. These clocks do not pause.
 */
export type DeadlineSubject = DeadlineClocksTable['subject_type'];

const HOUR = 3_600_000;

export interface DeadlineFacts {
  started_at: Date;
  hours: number;
  marks_announced: number;
}

export function deadlineMarks(thresholds: readonly number[]): ClockMark[] {
  return marks(thresholds);
}

/** When the next unannounced mark falls; null when all are announced. Pure. */
export function nextDeadlineMark(clock: DeadlineFacts, thresholds: readonly number[]): Date | null {
  const next = deadlineMarks(thresholds)[clock.marks_announced];
  if (!next) return null;
  return new Date(clock.started_at.getTime() + next.share * clock.hours * HOUR);
}

/** The state of a deadline clock at `now`, for views and queues. Pure. */
export function deadlineState(
  clock: { started_at: Date; hours: number; stopped_at: Date | null },
  thresholds: readonly number[],
  now: Date,
): ClockState {
  if (clock.stopped_at && clock.stopped_at <= now) return 'stopped';
  const share = (now.getTime() - clock.started_at.getTime()) / (clock.hours * HOUR);
  if (share >= 1) return 'breached';
  return share >= Math.min(...thresholds, 1) ? 'at_risk' : 'running';
}

export interface StartDeadline {
  subjectType: DeadlineSubject;
  subjectId: string;
  caseId?: string | null;
  noticeId?: string | null;
  orgId?: string | null;
  hours: number;
}

/** Starts a subject's clock, in the caller's transaction. Returns when it is due. */
export async function startDeadline(
  trx: Db,
  input: StartDeadline,
  thresholds: readonly number[],
  now: Date,
): Promise<Date> {
  const due = new Date(now.getTime() + input.hours * HOUR);
  await trx
    .insertInto('deadline_clocks')
    .values({
      id: newId(),
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      case_id: input.caseId ?? null,
      notice_id: input.noticeId ?? null,
      org_id: input.orgId ?? null,
      started_at: now,
      hours: input.hours,
      due_at: due,
      marks_announced: 0,
      next_mark_at: nextDeadlineMark({ started_at: now, hours: input.hours, marks_announced: 0 }, thresholds),
    })
    .execute();
  return due;
}

/** Stops a subject's clock: the answer was given. Stopping a stopped clock changes nothing. */
export async function stopDeadline(
  trx: Db,
  subjectType: DeadlineSubject,
  subjectIds: string | readonly string[],
  now: Date,
): Promise<void> {
  const ids = typeof subjectIds === 'string' ? [subjectIds] : [...subjectIds];
  if (ids.length === 0) return;
  await trx
    .updateTable('deadline_clocks')
    .set({ stopped_at: now, next_mark_at: null })
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', ids)
    .where('stopped_at', 'is', null)
    .execute();
}

/** The clocks of some subjects, for views: due time, state, stopped or not. */
export async function deadlinesOf(
  db: Db,
  subjectType: DeadlineSubject,
  subjectIds: readonly string[],
  thresholds: readonly number[],
  now: Date,
): Promise<Map<string, DeadlineView>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('deadline_clocks')
    .select(['subject_id', 'started_at', 'hours', 'due_at', 'stopped_at'])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', [...subjectIds])
    .execute();
  return new Map(rows.map((r) => [r.subject_id, toView(r, thresholds, now)]));
}

export interface DeadlineView {
  due_at: Date;
  hours: number;
  state: ClockState;
  stopped_at: Date | null;
}

export function toView(
  row: { started_at: Date; hours: number; due_at: Date; stopped_at: Date | null },
  thresholds: readonly number[],
  now: Date,
): DeadlineView {
  return {
    due_at: row.due_at,
    hours: row.hours,
    state: deadlineState(row, thresholds, now),
    stopped_at: row.stopped_at,
  };
}
