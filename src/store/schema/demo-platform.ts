import type { NullableTimestamp, Timestamp } from './foundation.ts';

/** The demo platform's own world (migration 0750; src/demo-platform/). */
export interface DemoChannelsTable {
  /** Lower-case username, as notices' subjects carry it. */
  username: string;
  /** Digits of the channel id, as in t.me/c/<id>/… */
  chat_id: string;
  title: string;
  description: string;
  created_at: Timestamp;
}

export interface DemoMessagesTable {
  channel: string;
  message_id: number;
  author: string;
  text: string;
  posted_at: Timestamp;
}

export interface DemoPlatformActionsTable {
  /** The enforcement action's id: its idempotency key. */
  action_id: string;
  type: string;
  channel: string;
  /** Null for an action on the whole channel. */
  message_id: number | null;
  territories: string[];
  label: string | null;
  until: NullableTimestamp;
  statement_url: string | null;
  case_id: string;
  applied_at: Timestamp;
  reverted_at: NullableTimestamp;
}

export interface DemoPlatformTables {
  demo_channels: DemoChannelsTable;
  demo_messages: DemoMessagesTable;
  demo_platform_actions: DemoPlatformActionsTable;
}
