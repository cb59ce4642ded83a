import { runStatements } from "./run-statements.js";
/**
 * Notices and the government channel: the SOP policy, jurisdictions, receipts' signing
 * keys, notices with their targets and evidence, cases (one open case per subject), the
 * SOP clock's pauses, the notice event feed, webhooks, threads and bulk intake.
 */
const statements = [
    `alter table organisations
     add column designated_categories text[] not null default '{}',
     add column designated_jurisdictions text[] not null default '{}',
     add column rate_limit_per_minute integer`,
    `create table signing_keys (
     kid text primary key,
     public_jwk jsonb not null,
     private_jwk jsonb not null,
     created_at timestamptz not null default now(),
     retired_at timestamptz
   )`,
    `create table sop_policies (
     version integer primary key,
     document jsonb not null,
     note text,
     created_by text,
     created_at timestamptz not null default now()
   )`,
    `create table jurisdictions (
     code text primary key,
     name text not null,
     legal_representative jsonb not null,
     contact_point jsonb not null,
     languages text[] not null,
     time_zone text not null,
     escalation_roster jsonb not null default '[]',
     updated_at timestamptz not null default now()
   )`,
    `create table notices (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     submitted_by text not null,
     submitted_by_type text not null,
     kind text not null check (kind in ('notice','order')),
     source_type text not null,
     category text not null,
     jurisdiction text not null,
     language text not null,
     legal_basis text,
     legal_references jsonb not null default '[]',
     explanation text not null,
     reference text,
     good_faith boolean not null,
     notifier jsonb,
     anonymous boolean not null default false,
     order_details jsonb,
     received_at timestamptz not null,
     legal_hours real not null,
     target_hours real not null,
     legal_due_at timestamptz not null,
     target_due_at timestamptz not null,
     paused_since timestamptz,
     policy_version integer not null,
     status text not null,
     clock_marks_announced integer not null default 0,
     next_clock_at timestamptz,
     closed_at timestamptz,
     digest text not null,
     receipt text not null,
     bulk_job_id uuid
   )`,
    `create index notices_org_received on notices(org_id, received_at desc)`,
    `create index notices_next_clock on notices(next_clock_at) where next_clock_at is not null`,
    `create index notices_org_digest on notices(org_id, digest)`,
    `create table cases (
     id uuid primary key,
     subject_key text not null,
     subject jsonb not null,
     status text not null,
     jurisdiction text not null,
     category text not null,
     severity integer not null,
     trusted boolean not null default false,
     notice_count integer not null default 0,
     hash_match_confidence real,
     language text not null,
     due_at timestamptz,
     legal_due_at timestamptz,
     opened_at timestamptz not null,
     closed_at timestamptz,
     outcome text,
     decided_at timestamptz
   )`,
    `create unique index cases_open_subject on cases(subject_key) where status <> 'closed'`,
    `create index cases_subject on cases(subject_key, decided_at desc)`,
    `create index cases_queue on cases(due_at) where status <> 'closed'`,
    `create table notice_targets (
     notice_id uuid not null references notices(id),
     idx integer not null,
     raw text not null,
     subject_key text not null,
     subject jsonb not null,
     case_id uuid references cases(id),
     outcome text,
     outcome_at timestamptz,
     primary key (notice_id, idx)
   )`,
    `create index notice_targets_case on notice_targets(case_id)`,
    `create index notice_targets_subject on notice_targets(subject_key)`,
    `create table clock_pauses (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     paused_at timestamptz not null,
     resumed_at timestamptz,
     reason text not null,
     message_id uuid
   )`,
    `create index clock_pauses_notice on clock_pauses(notice_id)`,
    `create table blobs (
     sha256 text primary key,
     size integer not null,
     data bytea,
     created_at timestamptz not null default now()
   )`,
    `create table evidence (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     filename text not null,
     content_type text not null,
     size integer not null,
     sha256 text not null references blobs(sha256),
     md5 text not null,
     uploaded_by text not null,
     uploaded_at timestamptz not null,
     message_id uuid,
     preserved_until timestamptz,
     purged_at timestamptz
   )`,
    `create index evidence_notice on evidence(notice_id)`,
    `create table notice_events (
     seq bigint generated always as identity primary key,
     id uuid not null unique,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     type text not null,
     data jsonb not null,
     at timestamptz not null
   )`,
    `create index notice_events_org_seq on notice_events(org_id, seq)`,
    `create index notice_events_notice on notice_events(notice_id, seq)`,
    `create table webhooks (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     url text not null,
     secret text not null,
     event_types text[] not null default '{}',
     description text,
     created_by text not null,
     created_at timestamptz not null,
     disabled_at timestamptz
   )`,
    `create index webhooks_org on webhooks(org_id)`,
    `create table webhook_deliveries (
     id uuid primary key,
     webhook_id uuid not null references webhooks(id),
     event_id uuid not null,
     outbox_id uuid not null,
     attempt integer not null,
     status_code integer,
     error text,
     duration_ms integer not null,
     at timestamptz not null
   )`,
    `create index webhook_deliveries_webhook on webhook_deliveries(webhook_id, at desc)`,
    `create table thread_messages (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     side text not null check (side in ('notifier','platform')),
     kind text not null,
     author_type text not null,
     author_id text not null,
     author_name text not null,
     body text not null,
     target_idx integer,
     created_at timestamptz not null
   )`,
    `create index thread_messages_notice on thread_messages(notice_id, created_at)`,
    `create table thread_reads (
     message_id uuid not null references thread_messages(id),
     side text not null,
     reader_id text not null,
     read_at timestamptz not null,
     primary key (message_id, side)
   )`,
    `create table bulk_jobs (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     submitted_by text not null,
     submitted_by_type text not null,
     format text not null,
     status text not null,
     total integer not null,
     processed integer not null default 0,
     created_count integer not null default 0,
     duplicate_count integer not null default 0,
     invalid_count integer not null default 0,
     input text not null,
     created_at timestamptz not null,
     finished_at timestamptz
   )`,
    `create table bulk_job_rows (
     job_id uuid not null references bulk_jobs(id),
     row_number integer not null,
     outcome text not null,
     notice_id uuid,
     reason text,
     errors jsonb,
     primary key (job_id, row_number)
   )`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [
        'drop table bulk_job_rows, bulk_jobs, thread_reads, thread_messages, webhook_deliveries, webhooks, notice_events, evidence, blobs, clock_pauses, notice_targets, cases, notices, jurisdictions, sop_policies, signing_keys',
        'alter table organisations drop column designated_categories, drop column designated_jurisdictions, drop column rate_limit_per_minute',
    ]);
}
