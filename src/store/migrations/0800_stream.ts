import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The automated path (docs/decisions/0012-content-stream-and-sweep.md): content events as
 * scanned (never their text or media: ids, links and the result), the content index (the
 * hashes of scanned posts, kept TAPIS_CONTENT_RETENTION_DAYS), detections (a match as a
 * case's evidence), sweeps of new bank entries, channel-level cases, crisis-mode
 * incidents and their per-minute timeline, and the automation facts of a decision.
 */
const statements = [
  `create table content_events (
     id uuid primary key,
     platform text not null,
     post_id text not null,
     revision text not null,
     type text not null,
     channel text not null,
     author text,
     forwarded_from_channel text,
     forwarded_from_id text,
     posted_at timestamptz not null,
     received_at timestamptz not null,
     via text not null,
     matched boolean not null,
     result jsonb not null,
     unique (platform, post_id, revision)
   )`,
  `create index content_events_post on content_events(platform, post_id, posted_at)`,
  `create index content_events_forwarded on content_events(platform, forwarded_from_channel, forwarded_from_id)
     where forwarded_from_channel is not null`,
  `create table content_hashes (
     seq bigint generated always as identity primary key,
     platform text not null,
     post_id text not null,
     channel text not null,
     signal_type text not null,
     value text not null,
     posted_at timestamptz not null,
     expires_at timestamptz not null
   )`,
  `create index content_hashes_value on content_hashes(signal_type, value)`,
  `create index content_hashes_expiry on content_hashes(expires_at)`,
  `create index content_hashes_post on content_hashes(platform, post_id)`,
  `create table detections (
     id uuid primary key,
     dedup_key text not null unique,
     case_id uuid not null references cases(id),
     platform text not null,
     post_id text not null,
     channel text not null,
     kind text not null check (kind in ('bank','lexicon')),
     bank_id uuid,
     entry_id uuid,
     signal_type text,
     distance integer,
     score real not null,
     provenance jsonb not null,
     via text not null check (via in ('scan','sweep')),
     incident_id uuid,
     detected_at timestamptz not null
   )`,
  `create index detections_case on detections(case_id, detected_at)`,
  `create index detections_channel on detections(platform, channel, detected_at)`,
  `create table bank_entry_sweeps (
     entry_id uuid primary key,
     first_at timestamptz not null,
     second_at timestamptz,
     matched integer not null default 0
   )`,
  `create table channel_cases (
     platform text not null,
     channel text not null,
     case_id uuid not null references cases(id),
     opened_at timestamptz not null,
     primary key (platform, channel, case_id)
   )`,
  `create table incidents (
     id uuid primary key,
     name text not null unique,
     description text not null,
     bank_ids uuid[] not null,
     policy jsonb not null,
     starts_at timestamptz not null,
     expires_at timestamptz not null,
     status text not null check (status in ('active','closed')),
     declared_by text not null,
     declared_at timestamptz not null,
     closed_by text,
     closed_at timestamptz,
     debrief jsonb
   )`,
  `create table incident_timeline (
     incident_id uuid not null references incidents(id),
     minute timestamptz not null,
     matches integer not null default 0,
     actions integer not null default 0,
     new_hashes integer not null default 0,
     primary key (incident_id, minute)
   )`,
  // DSA Art. 17(3)(c): whether the decision was taken by automated means, fully or with a
  // person confirming it, and the bank and distance of the match it rests on.
  `alter table decisions
     add column automation text check (automation in ('fully','partially')),
     add column bank_id uuid,
     add column match_distance integer`,
  `create index decisions_bank on decisions(bank_id) where bank_id is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'alter table decisions drop column automation, drop column bank_id, drop column match_distance',
    'drop table incident_timeline, incidents, channel_cases, bank_entry_sweeps, detections, content_hashes, content_events',
  ]);
}
