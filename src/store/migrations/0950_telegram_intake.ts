import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The Telegram intake bot (src/telegram-intake/):
 * - one-time link codes (only their hash is kept) and the links they make;
 * - the inbox of updates the Bot API gave us, each handled once, and the cursors that make
 *   polling and the status feed resume where they stopped (getUpdates offset, event seq);
 * - drafts: a notice being put together in a conversation;
 * - status notifications waiting for their batch, and the messages a reply can answer.
 */
const statements = [
  `create table telegram_link_codes (
     code_hash text primary key,
     user_id text not null,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     used_at timestamptz,
     used_by bigint
   )`,
  `create index telegram_link_codes_user on telegram_link_codes(user_id)`,
  `create table telegram_links (
     telegram_user_id bigint primary key,
     chat_id bigint not null,
     user_id text not null unique,
     org_id uuid not null,
     language text not null,
     muted boolean not null default false,
     linked_at timestamptz not null,
     last_status_at timestamptz
   )`,
  `create table telegram_cursors (
     name text primary key,
     value bigint not null
   )`,
  `create table telegram_updates (
     update_id bigint primary key,
     sender_id bigint,
     payload jsonb not null,
     received_at timestamptz not null,
     handled_at timestamptz,
     outcome text
   )`,
  `create index telegram_updates_pending on telegram_updates(update_id) where handled_at is null`,
  `create index telegram_updates_sender on telegram_updates(sender_id, received_at)`,
  `create table telegram_drafts (
     id uuid primary key,
     telegram_user_id bigint not null,
     chat_id bigint not null,
     user_id text not null,
     state text not null,
     data jsonb not null,
     created_at timestamptz not null,
     updated_at timestamptz not null,
     notice_id uuid,
     closed_at timestamptz
   )`,
  `create unique index telegram_drafts_open on telegram_drafts(telegram_user_id) where closed_at is null`,
  `create table telegram_status (
     id uuid primary key,
     telegram_user_id bigint not null,
     event_id uuid not null,
     notice_id uuid not null,
     type text not null,
     data jsonb not null,
     at timestamptz not null,
     sent_at timestamptz,
     unique (telegram_user_id, event_id)
   )`,
  `create index telegram_status_unsent on telegram_status(telegram_user_id, at) where sent_at is null`,
  `create table telegram_sent_messages (
     chat_id bigint not null,
     message_id bigint not null,
     notice_id uuid not null,
     kind text not null,
     sent_at timestamptz not null,
     primary key (chat_id, message_id)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'drop table telegram_sent_messages, telegram_status, telegram_drafts, telegram_updates, telegram_cursors, telegram_links, telegram_link_codes',
  ]);
}
