import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

export interface SigningKeysTable {
  kid: string;
  public_jwk: Json<Record<string, unknown>>;
  /** The private JWK as JSON text, sealed (`v1:…`) when a key is set; null once retired (1020). */
  private_jwk: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  retired_at: NullableTimestamp;
}

export interface SopPoliciesTable {
  version: number;
  document: Json<unknown>;
  note: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface Contact {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
}

export interface JurisdictionsTable {
  code: string;
  name: string;
  legal_representative: Json<Contact>;
  contact_point: Json<Contact>;
  languages: string[];
  time_zone: string;
  escalation_roster: Json<Contact[]>;
  updated_at: Timestamp;
}

export interface LegalReference {
  instrument: string;
  provision?: string | undefined;
}

export interface NoticesTable {
  id: string;
  org_id: string;
  submitted_by: string;
  submitted_by_type: 'user' | 'key';
  kind: 'notice' | 'order';
  source_type: string;
  category: string;
  jurisdiction: string;
  language: string;
  legal_basis: string | null;
  legal_references: Json<LegalReference[]>;
  explanation: string;
  reference: string | null;
  good_faith: boolean;
  notifier: Json<Contact | null>;
  anonymous: boolean;
  order_details: Json<Record<string, unknown> | null>;
  /** 1100: which kind of order (src/orders/order-kinds.ts); null for notices. */
  order_kind: ColumnType<string | null, string | null | undefined, string | null>;
  received_at: Timestamp;
  legal_hours: number;
  target_hours: number;
  /** The deadlines net of closed pauses; while `paused_since` is set they move with the clock. */
  legal_due_at: Timestamp;
  target_due_at: Timestamp;
  paused_since: NullableTimestamp;
  policy_version: number;
  status: string;
  clock_marks_announced: ColumnType<number, number | undefined, number>;
  next_clock_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  digest: string;
  receipt: string;
  bulk_job_id: string | null;
}

export interface CasesTable {
  id: string;
  subject_key: string;
  subject: Json<Record<string, unknown>>;
  status: string;
  jurisdiction: string;
  category: string;
  severity: number;
  trusted: boolean;
  notice_count: number;
  hash_match_confidence: number | null;
  language: string;
  due_at: NullableTimestamp;
  legal_due_at: NullableTimestamp;
  opened_at: Timestamp;
  closed_at: NullableTimestamp;
  outcome: string | null;
  decided_at: NullableTimestamp;
  /** The reviewer holding the case, and until when (a lease: two people never work one case). */
  assigned_to: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  escalated: ColumnType<boolean, boolean | undefined, boolean>;
  /** The decision in force. */
  decision_id: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The last event that changed the case through src/cases/case-events.ts (status, lease,
   * decision). The intake's opened and notice_joined events are in the log but leave it.
   */
  last_event_seq: ColumnType<number, number | undefined, number>;
}

export interface NoticeTargetsTable {
  notice_id: string;
  idx: number;
  raw: string;
  subject_key: string;
  subject: Json<Record<string, unknown>>;
  case_id: string | null;
  outcome: string | null;
  outcome_at: NullableTimestamp;
}

export interface ClockPausesTable {
  id: string;
  notice_id: string;
  paused_at: Timestamp;
  resumed_at: NullableTimestamp;
  reason: string;
  message_id: string | null;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  data: Uint8Array | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface EvidenceTable {
  id: string;
  notice_id: string;
  org_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  md5: string;
  uploaded_by: string;
  uploaded_at: Timestamp;
  message_id: string | null;
  preserved_until: NullableTimestamp;
  purged_at: NullableTimestamp;
}

export interface NoticeEventsTable {
  seq: Generated<number>;
  id: string;
  notice_id: string;
  org_id: string;
  type: string;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface WebhooksTable {
  id: string;
  org_id: string;
  url: string;
  secret: string;
  event_types: string[];
  description: string | null;
  created_by: string;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  outbox_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: Timestamp;
}

export interface ThreadMessagesTable {
  id: string;
  notice_id: string;
  side: 'notifier' | 'platform';
  kind: string;
  author_type: string;
  author_id: string;
  author_name: string;
  body: string;
  target_idx: number | null;
  created_at: Timestamp;
}

export interface ThreadReadsTable {
  message_id: string;
  side: 'notifier' | 'platform';
  reader_id: string;
  read_at: Timestamp;
}

export interface BulkJobsTable {
  id: string;
  org_id: string;
  submitted_by: string;
  submitted_by_type: string;
  format: 'csv' | 'jsonl';
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: ColumnType<number, number | undefined, number>;
  created_count: ColumnType<number, number | undefined, number>;
  duplicate_count: ColumnType<number, number | undefined, number>;
  invalid_count: ColumnType<number, number | undefined, number>;
  input: string;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
  /** Why the job failed (its delivery gave up); null otherwise. */
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BulkJobRowsTable {
  job_id: string;
  row_number: number;
  outcome: 'created' | 'duplicate' | 'invalid';
  notice_id: string | null;
  reason: string | null;
  errors: Json<unknown> | null;
}

export interface NoticeTables {
  signing_keys: SigningKeysTable;
  sop_policies: SopPoliciesTable;
  jurisdictions: JurisdictionsTable;
  notices: NoticesTable;
  cases: CasesTable;
  notice_targets: NoticeTargetsTable;
  clock_pauses: ClockPausesTable;
  blobs: BlobsTable;
  evidence: EvidenceTable;
  notice_events: NoticeEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  thread_messages: ThreadMessagesTable;
  thread_reads: ThreadReadsTable;
  bulk_jobs: BulkJobsTable;
  bulk_job_rows: BulkJobRowsTable;
}
