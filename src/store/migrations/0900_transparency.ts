import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Transparency: a statement's puid is unique (the Transparency Database refuses a repeat);
 * statements are read by period for the export; each statement's submission to the
 * database has its own state (src/transparency/submission.ts).
 */
const statements = [
  `create unique index statements_puid on statements(puid)`,
  `create index statements_created on statements(created_at, id)`,
  `create table tdb_submissions (
     statement_id uuid primary key references statements(id),
     puid text not null unique,
     status text not null check (status in ('pending','submitted','refused','failed','outside_eea')),
     attempts integer not null default 0,
     last_error text,
     tdb_uuid text,
     outbox_id uuid,
     queued_at timestamptz not null,
     submitted_at timestamptz
   )`,
  `create index tdb_submissions_status on tdb_submissions(status, queued_at)`,
  // The transparency report reads each table by period (src/transparency/report/).
  `create index notices_received on notices(received_at)`,
  `create index decisions_created on decisions(created_at)`,
  `create index appeals_created on appeals(created_at)`,
  `create index thread_messages_kind on thread_messages(kind, created_at)`,
  `create index notice_events_type_at on notice_events(type, at)`,
  `create index enforcement_actions_case on enforcement_actions(case_id)`,
  `create index enforcement_actions_applied on enforcement_actions(applied_at) where applied_at is not null`,
  `create index flagger_status_changes_to on flagger_status_changes(to_status, effective_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop index flagger_status_changes_to`,
    `drop index enforcement_actions_applied`,
    `drop index enforcement_actions_case`,
    `drop index notice_events_type_at`,
    `drop index thread_messages_kind`,
    `drop index appeals_created`,
    `drop index decisions_created`,
    `drop index notices_received`,
    `drop table tdb_submissions`,
    `drop index statements_created`,
    `drop index statements_puid`,
  ]);
}
