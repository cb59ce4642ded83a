import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Account safeguards (issue 14, items 5–9; docs/decisions/0018): every kind of restriction
 * carries its end date, scope and minimum age on the decision; strikes against accounts and
 * channels, and the warnings and suspensions they lead to (DSA Art. 23(1),(3)); hearings
 * before a trusted flagger's status is revoked or suspended (DSA Art. 22(7)); and
 * law-enforcement data requests (MR5/2020) with their clock and disclosure package.
 */
const statements = [
  `alter table decisions add column restriction jsonb`,
  `create table strikes (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     key_kind text not null check (key_kind in ('account','channel')),
     key text not null,
     category text not null,
     created_at timestamptz not null,
     revoked_at timestamptz,
     revoked_reason text,
     unique (decision_id, key_kind, key)
   )`,
  `create index strikes_key on strikes(key_kind, key, created_at) where revoked_at is null`,
  `create table repeat_infringer_measures (
     id uuid primary key,
     key_kind text not null check (key_kind in ('account','channel')),
     key text not null,
     kind text not null check (kind in ('warning','suspension')),
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     trigger_decision_id uuid not null references decisions(id),
     strikes integer not null,
     until timestamptz,
     created_at timestamptz not null
   )`,
  `create index repeat_infringer_measures_key on repeat_infringer_measures(key_kind, key, created_at)`,
  `create index repeat_infringer_measures_trigger on repeat_infringer_measures(trigger_decision_id)`,
  `create table flagger_hearings (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     proposed text not null check (proposed in ('revoke','suspend')),
     proposed_until timestamptz,
     grounds text not null,
     opened_by text not null,
     opened_at timestamptz not null,
     due_at timestamptz not null,
     status text not null check (status in ('open','answered','decided')),
     answer text,
     answered_by text,
     answered_at timestamptz,
     decision text check (decision in ('revoke','suspend','keep')),
     reasons text,
     decided_by text,
     decided_at timestamptz,
     status_change_id uuid
   )`,
  `create unique index flagger_hearings_one_open on flagger_hearings(org_id) where status <> 'decided'`,
  `create table data_requests (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     requested_by text not null,
     reference text not null,
     subject jsonb not null,
     legal_basis text not null,
     categories text[] not null,
     period_from timestamptz not null,
     period_to timestamptz not null,
     urgency text not null check (urgency in ('urgent','normal')),
     notice_id uuid references notices(id),
     status text not null check (status in ('received','approved','partly_approved','refused')),
     received_at timestamptz not null,
     due_at timestamptz not null,
     clock_marks_announced integer not null default 0,
     next_clock_at timestamptz,
     decided_by text,
     decided_at timestamptz,
     reasons text,
     disclosed_categories text[] not null default '{}',
     package jsonb,
     package_digest text,
     delivered_at timestamptz,
     unique (org_id, reference)
   )`,
  `create index data_requests_clock on data_requests(next_clock_at) where next_clock_at is not null`,
  `create index data_requests_status on data_requests(status, due_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop table data_requests`,
    `drop table flagger_hearings`,
    `drop table repeat_infringer_measures`,
    `drop table strikes`,
    `alter table decisions drop column restriction`,
  ]);
}
