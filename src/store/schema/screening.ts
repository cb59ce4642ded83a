import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

export interface AutoAction {
  outcome: 'remove' | 'restrict_in_jurisdiction' | 'suspend' | 'label';
  territories?: string[] | undefined;
  label?: string | undefined;
}

export interface BanksTable {
  id: string;
  name: string;
  description: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  policy: 'review' | 'auto_action';
  auto_action: Json<AutoAction | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  change_seq: Generated<number>;
}

export interface BankEntriesTable {
  id: string;
  bank_id: string;
  signal_type: string;
  value: string;
  quality: number | null;
  source: string;
  added_by: string;
  added_at: Timestamp;
  case_id: string | null;
  note: string | null;
  metadata: Json<Record<string, string>>;
  removed_at: NullableTimestamp;
  change_seq: Generated<number>;
}

export interface ScreeningTables {
  banks: BanksTable;
  bank_entries: BankEntriesTable;
}
