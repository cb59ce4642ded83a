import { runStatements } from "./run-statements.js";
/**
 * The review desk: the case event log with its projection on `cases`, leases, decisions,
 * enforcement actions, statements of reasons, appeals, trusted-flagger governance,
 * preservation with legal holds, and reviewer exposure.
 */
const statements = [
    `alter table cases
     add column assigned_to uuid,
     add column lease_until timestamptz,
     add column escalated boolean not null default false,
     add column decision_id uuid,
     add column last_event_seq bigint not null default 0`,
    `create index cases_assigned on cases(assigned_to) where assigned_to is not null`,
    `create table case_events (
     seq bigint generated always as identity primary key,
     id uuid not null unique,
     case_id uuid not null references cases(id),
     type text not null,
     from_status text not null,
     to_status text not null,
     actor_type text not null,
     actor_id text not null,
     data jsonb not null,
     at timestamptz not null
   )`,
    `create index case_events_case on case_events(case_id, seq)`,
    `create table decisions (
     id uuid primary key,
     case_id uuid not null references cases(id),
     decided_by uuid not null,
     outcome text not null,
     grounds jsonb not null,
     territories text[] not null default '{}',
     suspension jsonb,
     label text,
     actions jsonb not null,
     irreversible boolean not null default false,
     irreversible_acknowledged boolean not null default false,
     automated_detection boolean not null default false,
     automated_decision boolean not null default false,
     language text not null,
     template_id text,
     status text not null,
     needs_approval text,
     approved_by uuid,
     approved_at timestamptz,
     created_at timestamptz not null,
     reverted_at timestamptz
   )`,
    `create index decisions_case on decisions(case_id, created_at)`,
    `create table enforcement_actions (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     connector text not null,
     type text not null,
     subject jsonb not null,
     params jsonb not null,
     revertible boolean not null,
     status text not null,
     attempts integer not null default 0,
     external_ref text,
     last_error text,
     applied_at timestamptz,
     reverted_at timestamptz,
     created_at timestamptz not null
   )`,
    `create index enforcement_actions_decision on enforcement_actions(decision_id)`,
    `create table statements (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     token_hash text not null unique,
     puid text not null,
     content jsonb not null,
     appeal_until timestamptz not null,
     delivered_at timestamptz,
     created_at timestamptz not null
   )`,
    `create index statements_case on statements(case_id)`,
    `create table appeals (
     id uuid primary key,
     case_id uuid not null references cases(id),
     decision_id uuid not null references decisions(id),
     appellant_type text not null check (appellant_type in ('affected_user','notifier')),
     appellant jsonb not null,
     notice_id uuid references notices(id),
     grounds text not null,
     status text not null,
     assigned_to uuid,
     lease_until timestamptz,
     decided_by uuid,
     decided_at timestamptz,
     outcome text,
     reasons text,
     created_at timestamptz not null
   )`,
    `create index appeals_open on appeals(created_at) where status in ('open','in_review')`,
    `create unique index appeals_one_open on appeals(decision_id, appellant_type) where status in ('open','in_review')`,
    `alter table organisations
     add column designated_by text,
     add column status_since timestamptz,
     add column suspended_until timestamptz`,
    `create table flagger_status_changes (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     from_status text,
     to_status text not null,
     reasons text not null,
     decided_by text not null,
     effective_at timestamptz not null,
     until timestamptz
   )`,
    `create table flagger_warnings (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     reason text not null,
     issued_by text not null,
     at timestamptz not null
   )`,
    `create table alerts (
     id uuid primary key,
     kind text not null,
     org_id uuid,
     data jsonb not null,
     created_at timestamptz not null,
     acknowledged_by text,
     acknowledged_at timestamptz
   )`,
    `create unique index alerts_open_kind on alerts(kind, org_id) where acknowledged_at is null`,
    `create table legal_holds (
     id uuid primary key,
     case_id uuid not null references cases(id),
     reason text not null,
     requested_by text not null,
     placed_by text not null,
     until timestamptz,
     placed_at timestamptz not null,
     released_at timestamptz
   )`,
    `create index legal_holds_case on legal_holds(case_id) where released_at is null`,
    `create table preserved_content (
     id uuid primary key,
     case_id uuid not null references cases(id),
     kind text not null,
     description text not null,
     sha256 text references blobs(sha256),
     text_content text,
     preserved_until timestamptz not null,
     purged_at timestamptz,
     created_at timestamptz not null
   )`,
    `create index preserved_content_due on preserved_content(preserved_until) where purged_at is null`,
    `create table reveals (
     id uuid primary key,
     reviewer_id uuid not null,
     case_id uuid,
     object_type text not null,
     object_id text not null,
     day date not null,
     at timestamptz not null
   )`,
    `create index reveals_reviewer_day on reveals(reviewer_id, day)`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [
        'drop table reveals, preserved_content, legal_holds, alerts, flagger_warnings, flagger_status_changes, appeals, statements, enforcement_actions, decisions, case_events',
        'alter table organisations drop column designated_by, drop column status_since, drop column suspended_until',
        'alter table cases drop column assigned_to, drop column lease_until, drop column escalated, drop column decision_id, drop column last_event_seq',
    ]);
}
