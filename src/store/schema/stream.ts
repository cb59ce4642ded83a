import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** The automated path's tables (src/store/migrations/0800_stream.ts). */
export interface ContentEventsTable {
  id: string;
  platform: string;
  post_id: string;
  revision: string;
  type: string;
  channel: string;
  author: string | null;
  forwarded_from_channel: string | null;
  forwarded_from_id: string | null;
  posted_at: Timestamp;
  received_at: Timestamp;
  via: string;
  matched: boolean;
  result: Json<Record<string, unknown>>;
}

export interface ContentHashesTable {
  seq: Generated<number>;
  platform: string;
  post_id: string;
  channel: string;
  signal_type: string;
  value: string;
  posted_at: Timestamp;
  expires_at: Timestamp;
}

export interface DetectionsTable {
  id: string;
  dedup_key: string;
  case_id: string;
  platform: string;
  post_id: string;
  channel: string;
  kind: 'bank' | 'lexicon';
  bank_id: string | null;
  entry_id: string | null;
  signal_type: string | null;
  distance: number | null;
  score: number;
  provenance: Json<Record<string, unknown>>;
  via: 'scan' | 'sweep';
  incident_id: string | null;
  detected_at: Timestamp;
}

export interface BankEntrySweepsTable {
  entry_id: string;
  first_at: Timestamp;
  second_at: NullableTimestamp;
  matched: ColumnType<number, number | undefined, number>;
}

export interface ChannelCasesTable {
  platform: string;
  channel: string;
  case_id: string;
  opened_at: Timestamp;
}

export interface IncidentPolicy {
  /** Matches in the incident's banks act at once with this action. */
  auto_action: {
    outcome: 'remove' | 'restrict_in_jurisdiction' | 'suspend' | 'label';
    territories?: string[] | undefined;
    label?: string | undefined;
  } | null;
  /** Deadline of the cases it opens, in hours (shorter than the SOP policy's). */
  deadline_hours: number;
}

export interface IncidentsTable {
  id: string;
  name: string;
  description: string;
  bank_ids: string[];
  policy: Json<IncidentPolicy>;
  starts_at: Timestamp;
  expires_at: Timestamp;
  status: 'active' | 'closed';
  declared_by: string;
  declared_at: Timestamp;
  closed_by: string | null;
  closed_at: NullableTimestamp;
  debrief: Json<Record<string, unknown> | null>;
}

export interface IncidentTimelineTable {
  incident_id: string;
  minute: Timestamp;
  matches: ColumnType<number, number | undefined, number>;
  actions: ColumnType<number, number | undefined, number>;
  new_hashes: ColumnType<number, number | undefined, number>;
}

export interface StreamTables {
  content_events: ContentEventsTable;
  content_hashes: ContentHashesTable;
  detections: DetectionsTable;
  bank_entry_sweeps: BankEntrySweepsTable;
  channel_cases: ChannelCasesTable;
  incidents: IncidentsTable;
  incident_timeline: IncidentTimelineTable;
}
