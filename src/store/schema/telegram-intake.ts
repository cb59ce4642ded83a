import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** The Telegram intake bot's tables (migration 0950, src/telegram-intake/). */
export interface TelegramLinkCodesTable {
  code_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  used_by: number | null;
}

export interface TelegramLinksTable {
  telegram_user_id: number;
  chat_id: number;
  user_id: string;
  org_id: string;
  language: string;
  muted: boolean;
  linked_at: Timestamp;
  last_status_at: NullableTimestamp;
}

export interface TelegramCursorsTable {
  name: string;
  value: number;
}

export interface TelegramUpdatesTable {
  update_id: number;
  sender_id: number | null;
  payload: Json<unknown>;
  received_at: Timestamp;
  handled_at: NullableTimestamp;
  outcome: string | null;
}

export interface TelegramDraftsTable {
  id: string;
  telegram_user_id: number;
  chat_id: number;
  user_id: string;
  state: string;
  data: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
  notice_id: string | null;
  closed_at: NullableTimestamp;
}

export interface TelegramStatusTable {
  id: string;
  telegram_user_id: number;
  event_id: string;
  notice_id: string;
  type: string;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface TelegramSentMessagesTable {
  chat_id: number;
  message_id: number;
  notice_id: string;
  kind: string;
  sent_at: Timestamp;
}

export interface TelegramIntakeTables {
  telegram_link_codes: TelegramLinkCodesTable;
  telegram_links: TelegramLinksTable;
  telegram_cursors: TelegramCursorsTable;
  telegram_updates: TelegramUpdatesTable;
  telegram_drafts: TelegramDraftsTable;
  telegram_status: TelegramStatusTable;
  telegram_sent_messages: TelegramSentMessagesTable;
}
