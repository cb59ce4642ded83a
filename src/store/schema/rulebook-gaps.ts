import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** A trusted flagger's evidence pack sent to its designating authority (migration 1250). */
export interface AuthorityReportsTable {
  id: string;
  flagger_org_id: string;
  authority_org_id: string;
  period_from: Timestamp;
  period_to: Timestamp;
  digest: string;
  pack: Json<unknown>;
  note: string | null;
  submitted_by: string;
  submitted_at: Timestamp;
  delivered_at: NullableTimestamp;
}

/** A warning or a suspension of one member of the public, by the hash of their e-mail. */
export interface PublicNotifierMeasuresTable {
  id: string;
  email_hash: string;
  kind: 'warning' | 'suspension';
  reason: string;
  notice_id: string;
  until: NullableTimestamp;
  issued_by: string;
  at: Timestamp;
}

/** A dispute brought to a certified out-of-court body against a decision (DSA Art. 21). */
export interface OutOfCourtDisputesTable {
  id: string;
  decision_id: string;
  body_name: string;
  body_certified_by: string | null;
  brought_by: 'affected_user' | 'notifier';
  reference: string | null;
  submitted_at: Timestamp;
  outcome: string | null;
  decided_at: NullableTimestamp;
  implemented_at: NullableTimestamp;
  recorded_by: string;
  recorded_at: Timestamp;
  updated_at: Timestamp;
}

export interface RulebookGapTables {
  authority_reports: AuthorityReportsTable;
  public_notifier_measures: PublicNotifierMeasuresTable;
  out_of_court_disputes: OutOfCourtDisputesTable;
}
