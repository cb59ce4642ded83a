import { sql } from 'kysely';
import { newId } from '../core/ids.ts';
import { type ClockMark, marks, markTime } from '../policy/clock.ts';
import type { Db } from '../store/db.ts';

/**
 * The notice's clock in the database: pausing while a clarification request is open,
 * resuming when it is answered, stopping when the notice is settled, and keeping the due
 * times of its cases in step. The arithmetic is in src/policy/clock.ts.
 */
interface ClockRow {
  id: string;
  received_at: Date;
  legal_hours: number;
  target_hours: number;
  legal_due_at: Date;
  target_due_at: Date;
  paused_since: Date | null;
  clock_marks_announced: number;
}

export function clockMarksOf(
  row: Pick<ClockRow, 'legal_hours' | 'target_hours'>,
  thresholds: readonly number[],
): ClockMark[] {
  return marks(thresholds, row.target_hours / row.legal_hours);
}

/** Pauses the clock (TCO Art. 3(7)-(8)). Pausing a paused clock changes nothing. */
export async function pauseClock(
  trx: Db,
  notice: ClockRow,
  reason: string,
  messageId: string | null,
  now: Date,
): Promise<boolean> {
  if (notice.paused_since) return false;
  await trx
    .updateTable('notices')
    .set({ paused_since: now, next_clock_at: null })
    .where('id', '=', notice.id)
    .execute();
  await trx
    .insertInto('clock_pauses')
    .values({ id: newId(), notice_id: notice.id, paused_at: now, reason, message_id: messageId })
    .execute();
  await refreshCaseDueTimes(trx, notice.id);
  return true;
}

/** Resumes a paused clock: the deadlines move by the time it stood still. */
export async function resumeClock(
  trx: Db,
  notice: ClockRow,
  thresholds: readonly number[],
  now: Date,
): Promise<boolean> {
  if (!notice.paused_since) return false;
  const stood = now.getTime() - notice.paused_since.getTime();
  const legalDue = new Date(notice.legal_due_at.getTime() + stood);
  const targetDue = new Date(notice.target_due_at.getTime() + stood);
  const next = nextMarkAt({ ...notice, legal_due_at: legalDue }, thresholds);
  await trx
    .updateTable('notices')
    .set({ paused_since: null, legal_due_at: legalDue, target_due_at: targetDue, next_clock_at: next })
    .where('id', '=', notice.id)
    .execute();
  await trx
    .updateTable('clock_pauses')
    .set({ resumed_at: now })
    .where('notice_id', '=', notice.id)
    .where('resumed_at', 'is', null)
    .execute();
  await refreshCaseDueTimes(trx, notice.id);
  return true;
}

/**
 * When the next clock mark falls, on a running clock. The deadlines already include the
 * closed pauses, so a mark at share s falls at legal_due_at − (1 − s) · legal hours.
 */
export function nextMarkAt(
  notice: Pick<ClockRow, 'legal_hours' | 'target_hours' | 'legal_due_at' | 'clock_marks_announced'>,
  thresholds: readonly number[],
): Date | null {
  const next = clockMarksOf(notice, thresholds)[notice.clock_marks_announced];
  if (!next) return null;
  const start = new Date(notice.legal_due_at.getTime() - notice.legal_hours * 3_600_000);
  return markTime(start, notice.legal_hours, [], start, next.share);
}

/** Stops the clock for good: the notice is settled. */
export async function stopClock(trx: Db, noticeId: string, now: Date): Promise<void> {
  await trx
    .updateTable('notices')
    .set({ closed_at: now, next_clock_at: null })
    .where('id', '=', noticeId)
    .where('closed_at', 'is', null)
    .execute();
  await trx
    .updateTable('clock_pauses')
    .set({ resumed_at: now })
    .where('notice_id', '=', noticeId)
    .where('resumed_at', 'is', null)
    .execute();
  // A settled order has nothing left to escalate: the ladder's clocks stop (src/orders/escalation.ts).
  await trx
    .updateTable('deadline_clocks')
    .set({ stopped_at: now, next_mark_at: null })
    .where('notice_id', '=', noticeId)
    .where('subject_type', '=', 'escalation_step')
    .where('stopped_at', 'is', null)
    .execute();
  await refreshCaseDueTimes(trx, noticeId);
}

/**
 * A case is due when the earliest of its open, running notices is due; a case whose
 * notices are all paused or settled has no due time (it waits, last in the queue).
 */
export async function refreshCaseDueTimes(trx: Db, noticeId: string): Promise<void> {
  // From the notice's own targets out, each case's notices through the case index (a lateral
  // subquery): the planner cannot turn it into a hash join over every target and notice,
  // which it did while the statistics lagged a growing table (20 ms a decision in the soak).
  await sql`
    update cases c set
      due_at = d.due_at,
      legal_due_at = d.legal_due_at
    from (
      select mine.case_id, due.due_at, due.legal_due_at
      from notice_targets mine
      cross join lateral (
        select
          min(n.target_due_at) filter (where n.paused_since is null and n.closed_at is null) as due_at,
          min(n.legal_due_at) filter (where n.paused_since is null and n.closed_at is null) as legal_due_at
        from notice_targets t
        join notices n on n.id = t.notice_id
        where t.case_id = mine.case_id
      ) due
      where mine.notice_id = ${noticeId}
    ) d
    where c.id = d.case_id and c.status <> 'closed'`.execute(trx);
}
