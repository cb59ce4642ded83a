import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The demo platform (src/demo-platform/): a simulated Telegram of channels and messages
 * that tapis holds itself, so that a decision visibly takes effect with nothing configured.
 * What the platform shows is worked out from the actions in effect on it
 * (`demo_platform_actions`, one row per enforcement action, keyed by its idempotency key),
 * so two actions on one message and the revert of one of them come out right.
 */
const statements = [
  `create table demo_channels (
     username text primary key,
     chat_id text not null unique,
     title text not null,
     description text not null,
     created_at timestamptz not null
   )`,
  `create table demo_messages (
     channel text not null references demo_channels(username),
     message_id integer not null,
     author text not null,
     text text not null,
     posted_at timestamptz not null,
     primary key (channel, message_id)
   )`,
  `create table demo_platform_actions (
     action_id text primary key,
     type text not null,
     channel text not null references demo_channels(username),
     message_id integer,
     territories text[] not null default '{}',
     label text,
     until timestamptz,
     statement_url text,
     case_id text not null,
     applied_at timestamptz not null,
     reverted_at timestamptz
   )`,
  `create index demo_platform_actions_channel on demo_platform_actions(channel, message_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'drop table demo_platform_actions',
    'drop table demo_messages',
    'drop table demo_channels',
  ]);
}
