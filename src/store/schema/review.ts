import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

export interface CaseEventsTable {
  seq: Generated<number>;
  id: string;
  case_id: string;
  type: string;
  from_status: string;
  to_status: string;
  actor_type: string;
  actor_id: string;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface Grounds {
  /** DSA Art. 17(3)(d): the legal ground relied on, and why the content is illegal under it. */
  illegal?: { legal_ground: string; explanation: string } | undefined;
  /** DSA Art. 17(3)(e): the terms-of-service clause, and why the content is incompatible with it. */
  incompatible?: { ground: string; explanation: string } | undefined;
}

export interface DecisionsTable {
  id: string;
  case_id: string;
  decided_by: string;
  outcome: string;
  grounds: Json<Grounds>;
  territories: string[];
  suspension: Json<{ target: 'channel' | 'account'; until: string | null } | null>;
  label: string | null;
  /** 1150: the end date, service scope and minimum age of the other restrictions (src/decisions/outcomes.ts). */
  restriction: ColumnType<unknown, string | null | undefined, string | null>;
  actions: Json<unknown[]>;
  irreversible: boolean;
  irreversible_acknowledged: boolean;
  automated_detection: boolean;
  automated_decision: boolean;
  /** DSA Art. 17(3)(c): 'fully' automated, 'partially' (a person confirmed a detection), or null (src/store/migrations/0800_stream.ts). */
  automation: ColumnType<string | null, string | null | undefined, string | null>;
  bank_id: ColumnType<string | null, string | null | undefined, string | null>;
  match_distance: ColumnType<number | null, number | null | undefined, number | null>;
  language: string;
  template_id: string | null;
  status: string;
  needs_approval: string | null;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  created_at: Timestamp;
  reverted_at: NullableTimestamp;
}

export interface EnforcementActionsTable {
  id: string;
  decision_id: string;
  case_id: string;
  connector: string;
  type: string;
  subject: Json<Record<string, unknown>>;
  params: Json<Record<string, unknown>>;
  revertible: boolean;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  external_ref: string | null;
  last_error: string | null;
  applied_at: NullableTimestamp;
  reverted_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface StatementsTable {
  id: string;
  decision_id: string;
  case_id: string;
  token_hash: string;
  puid: string;
  content: Json<Record<string, unknown>>;
  appeal_until: Timestamp;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface AppealsTable {
  id: string;
  case_id: string;
  decision_id: string;
  appellant_type: 'affected_user' | 'notifier';
  appellant: Json<Record<string, unknown>>;
  notice_id: string | null;
  grounds: string;
  status: string;
  assigned_to: string | null;
  lease_until: NullableTimestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  outcome: string | null;
  reasons: string | null;
  created_at: Timestamp;
}

export interface FlaggerStatusChangesTable {
  id: string;
  org_id: string;
  from_status: string | null;
  to_status: string;
  reasons: string;
  decided_by: string;
  effective_at: Timestamp;
  until: NullableTimestamp;
}

export interface FlaggerWarningsTable {
  id: string;
  org_id: string;
  reason: string;
  issued_by: string;
  at: Timestamp;
}

export interface AlertsTable {
  id: string;
  kind: string;
  org_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: NullableTimestamp;
}

export interface LegalHoldsTable {
  id: string;
  case_id: string;
  reason: string;
  requested_by: string;
  placed_by: string;
  until: NullableTimestamp;
  placed_at: Timestamp;
  released_at: NullableTimestamp;
  released_by: ColumnType<string | null, string | null | undefined, string | null>;
  release_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PreservedContentTable {
  id: string;
  case_id: string;
  kind: string;
  description: string;
  /** The bytes, in `blobs`; files and text alike (src/preservation/deposit.ts). */
  sha256: string | null;
  filename: string | null;
  content_type: string | null;
  size: number | null;
  md5: string | null;
  /** Screening hashes (PDQ, normalised-text SHA-256, SimHash) that outlive the purge. */
  hashes: Json<Record<string, unknown>>;
  deposited_by: string | null;
  preserved_until: Timestamp;
  purged_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface RevealsTable {
  id: string;
  reviewer_id: string;
  case_id: string | null;
  object_type: string;
  object_id: string;
  day: ColumnType<string, string, string>;
  at: Timestamp;
  content_type: ColumnType<string | null, string | null | undefined, string | null>;
  /** Media (image, video, audio) counts toward the daily exposure limit; text and PDF do not. */
  counted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ReviewTables {
  case_events: CaseEventsTable;
  decisions: DecisionsTable;
  enforcement_actions: EnforcementActionsTable;
  statements: StatementsTable;
  appeals: AppealsTable;
  flagger_status_changes: FlaggerStatusChangesTable;
  flagger_warnings: FlaggerWarningsTable;
  alerts: AlertsTable;
  legal_holds: LegalHoldsTable;
  preserved_content: PreservedContentTable;
  reveals: RevealsTable;
}
