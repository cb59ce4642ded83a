import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** 1150: a strike against an account or a channel, from an upheld restrictive decision (DSA Art. 23). */
export interface StrikesTable {
  id: string;
  decision_id: string;
  case_id: string;
  key_kind: 'account' | 'channel';
  key: string;
  category: string;
  created_at: Timestamp;
  /** Set when an appeal overturns the decision: the strike no longer counts. */
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

/** 1150: a warning or suspension of a repeat infringer, each a decision of its own. */
export interface RepeatInfringerMeasuresTable {
  id: string;
  key_kind: 'account' | 'channel';
  key: string;
  kind: 'warning' | 'suspension';
  decision_id: string;
  case_id: string;
  /** The decision whose strike called for it: an appeal that overturns that decision lifts it. */
  trigger_decision_id: string;
  strikes: number;
  until: NullableTimestamp;
  created_at: Timestamp;
}

/** 1150: the hearing before a trusted flagger's status is revoked or suspended (DSA Art. 22(7)). */
export interface FlaggerHearingsTable {
  id: string;
  org_id: string;
  proposed: 'revoke' | 'suspend';
  proposed_until: NullableTimestamp;
  grounds: string;
  opened_by: string;
  opened_at: Timestamp;
  due_at: Timestamp;
  status: 'open' | 'answered' | 'decided';
  answer: string | null;
  answered_by: string | null;
  answered_at: NullableTimestamp;
  decision: 'revoke' | 'suspend' | 'keep' | null;
  reasons: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  status_change_id: string | null;
}

/** 1150: a law-enforcement request for data about a subject (MR5/2020). */
export interface DataRequestsTable {
  id: string;
  org_id: string;
  requested_by: string;
  reference: string;
  subject: Json<Record<string, unknown>>;
  legal_basis: string;
  categories: string[];
  period_from: Timestamp;
  period_to: Timestamp;
  urgency: 'urgent' | 'normal';
  /** The requester's notice whose thread carries the answer and the delivery, if it named one. */
  notice_id: string | null;
  status: 'received' | 'approved' | 'partly_approved' | 'refused';
  received_at: Timestamp;
  due_at: Timestamp;
  clock_marks_announced: ColumnType<number, number | undefined, number>;
  next_clock_at: NullableTimestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  reasons: string | null;
  disclosed_categories: ColumnType<string[], string[] | undefined, string[]>;
  package: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  package_digest: string | null;
  delivered_at: NullableTimestamp;
}

export interface SafeguardTables {
  strikes: StrikesTable;
  repeat_infringer_measures: RepeatInfringerMeasuresTable;
  flagger_hearings: FlaggerHearingsTable;
  data_requests: DataRequestsTable;
}
