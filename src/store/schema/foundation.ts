import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database fills in unless one is given. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** jsonb: read as a value, written as JSON text (pg would turn a JS array into a Postgres array). */
export type Json<T> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  kind: 'platform' | 'government' | 'law_enforcement' | 'court' | 'ngo' | 'public';
  /** Flagger organisations only: trusted, regular or suspended (DSA Art. 22). */
  flagger_status: 'trusted' | 'regular' | 'suspended' | null;
  contact_email: string | null;
  /** DSA Art. 22: the area a trusted flagger is designated for; empty means all. */
  designated_categories: ColumnType<string[], string[] | undefined, string[]>;
  designated_jurisdictions: ColumnType<string[], string[] | undefined, string[]>;
  /** Requests per minute for the whole organisation; null for the instance default. */
  rate_limit_per_minute: ColumnType<number | null, number | null | undefined, number | null>;
  designated_by: ColumnType<string | null, string | null | undefined, string | null>;
  status_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** DSA Art. 23(2): a notifier's notices are not processed until then. */
  suspended_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  roles: string[];
  languages: string[];
  jurisdictions: string[];
  disabled_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  /** The public part of the key, shown in lists: `tapis_<prefix>_…`. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  secret_hash: string;
  scopes: string[];
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: CreatedAt;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_type: 'user' | 'key' | 'system';
  actor_id: string | null;
  actor_org_id: string | null;
  action: string;
  object_type: string;
  object_id: string;
  change: Json<unknown>;
  change_digest: string;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: string;
  seq: Generated<number>;
  topic: string;
  /** Rows with the same ordering key are delivered one at a time, in id order. */
  ordering_key: string | null;
  payload: Json<unknown>;
  status: ColumnType<
    'pending' | 'done' | 'dead',
    'pending' | 'done' | 'dead' | undefined,
    'pending' | 'done' | 'dead'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  locked_until: NullableTimestamp;
  created_at: CreatedAt;
  done_at: NullableTimestamp;
  /** 0700: which worker claims it, and in what priority (src/outbox/lanes.ts). */
  lane: ColumnType<OutboxLane, OutboxLane | undefined, OutboxLane>;
  /** 0700: the external endpoint it calls, for the circuit breaker; null for internal work. */
  endpoint: ColumnType<string | null, string | null | undefined, string | null>;
}

export type OutboxLane = 'enforcement' | 'screening' | 'notification' | 'bulk';

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_digest: string;
  status_code: number;
  response: Json<unknown>;
  created_at: CreatedAt;
}

export interface MetaTable {
  key: string;
  value: Json<unknown>;
}

export interface FoundationTables {
  organisations: OrganisationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  meta: MetaTable;
}
