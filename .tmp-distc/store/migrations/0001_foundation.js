import { runStatements } from "./run-statements.js";
/** Identity, the audit chain, the outbox, idempotency keys and instance metadata. */
const statements = [
    `create table organisations (
    id uuid primary key,
    slug text not null unique,
    name text not null,
    kind text not null check (kind in ('platform','government','law_enforcement','ngo','public')),
    flagger_status text check (flagger_status in ('trusted','regular','suspended')),
    contact_email text,
    created_at timestamptz not null default now()
    )`,
    `create table users (
    id uuid primary key,
    org_id uuid not null references organisations(id),
    email text not null unique,
    display_name text not null,
    password_hash text,
    roles text[] not null default '{}',
    languages text[] not null default '{}',
    jurisdictions text[] not null default '{}',
    disabled_at timestamptz,
    created_at timestamptz not null default now()
    )`,
    `create index users_org on users(org_id)`,
    `create table api_keys (
    id uuid primary key,
    org_id uuid not null references organisations(id),
    name text not null,
    prefix text not null unique,
    secret_hash text not null,
    scopes text[] not null,
    expires_at timestamptz,
    revoked_at timestamptz,
    created_by uuid,
    created_at timestamptz not null default now(),
    last_used_at timestamptz
    )`,
    `create index api_keys_org on api_keys(org_id)`,
    `create table sessions (
    id uuid primary key,
    user_id uuid not null references users(id),
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
    )`,
    `create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    ip text not null,
    at timestamptz not null default now()
    )`,
    `create index login_failures_email_at on login_failures(email, at)`,
    `create table audit_log (
    seq bigint primary key,
    at timestamptz not null,
    actor_type text not null,
    actor_id text,
    actor_org_id uuid,
    action text not null,
    object_type text not null,
    object_id text not null,
    change jsonb not null,
    change_digest text not null,
    prev_hash text not null,
    hash text not null
    )`,
    `create index audit_log_object on audit_log(object_type, object_id)`,
    `-- The audit log is append-only: the application never updates or deletes a row, and the
    -- database refuses to. Whoever can disable this trigger can still tamper, which is what
    -- the hash chain (tapis audit verify) is there to reveal.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
    raise exception 'audit_log is append-only';
    end $$`,
    `create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only()`,
    `create table outbox (
    id uuid primary key,
    seq bigint generated always as identity,
    topic text not null,
    ordering_key text,
    payload jsonb not null,
    status text not null default 'pending' check (status in ('pending','done','dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    last_error text,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    done_at timestamptz
    )`,
    `create index outbox_due on outbox(topic, next_attempt_at) where status = 'pending'`,
    `create index outbox_ordering on outbox(ordering_key, seq) where status = 'pending'`,
    `create table idempotency_keys (
    scope text not null,
    key text not null,
    request_digest text not null,
    status_code integer not null,
    response jsonb not null,
    created_at timestamptz not null default now(),
    primary key (scope, key)
    )`,
    `create table meta (
    key text primary key,
    value jsonb not null
    )`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [
        'drop table meta, idempotency_keys, outbox, audit_log, login_failures, sessions, api_keys, users, organisations',
        'drop function audit_log_append_only',
    ]);
}
