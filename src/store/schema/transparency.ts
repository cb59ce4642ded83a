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

export interface TransparencyTables {
  tdb_submissions: TdbSubmissionsTable;
}
