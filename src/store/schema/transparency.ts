import type { ColumnType } from 'kysely';
import type { NullableTimestamp, Timestamp } from './foundation.ts';

/** A statement's submission to the DSA Transparency Database: one row per statement, submitted once. */
export interface TdbSubmissionsTable {
  statement_id: string;
  puid: string;
  /** outside_eea: the decision's effect stays outside the EU/EEA, so the database has no business with it. */
  status: 'pending' | 'submitted' | 'refused' | 'failed' | 'outside_eea';
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  /** The database's own id for the statement, once accepted. */
  tdb_uuid: string | null;
  outbox_id: string | null;
  queued_at: Timestamp;
  submitted_at: NullableTimestamp;
}

/**
 * One notice's facts and times for the transparency report, kept by triggers
 * (migration 1200): seconds to acknowledge, decide and act, net of clock pauses.
 */
export interface ReportNoticeTimesTable {
  notice_id: string;
  org_id: string;
  kind: string;
  source_type: string;
  jurisdiction: string;
  issuing_authority: string | null;
  /** The notice's kind of order (src/orders/order-kinds.ts), for orders; kept by migration 1260's trigger. */
  order_kind: string | null;
  status: string;
  received_at: Timestamp;
  legal_due_at: NullableTimestamp;
  target_due_at: NullableTimestamp;
  ack_at: NullableTimestamp;
  dec_at: NullableTimestamp;
  act_at: NullableTimestamp;
  ack_s: number | null;
  dec_s: number | null;
  act_s: number | null;
  answered_at: NullableTimestamp;
}

export interface TransparencyTables {
  tdb_submissions: TdbSubmissionsTable;
  report_notice_times: ReportNoticeTimesTable;
}
