import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The government channel's open ends (issue 14, docs/decisions/0017):
 * - courts are an organisation kind;
 * - the issuer registry: the authorities, jurisdictions and order kinds an organisation may
 *   issue orders as, kept by admins;
 * - deadline clocks for things other than notices (appeals, objections, escalation steps),
 *   announced by the same kind of job as the notice clock;
 * - objections (SAMAN's "sanggah") and SAMAN's escalation ladder.
 */
const statements = [
  `alter table organisations drop constraint organisations_kind_check`,
  `alter table organisations add constraint organisations_kind_check
     check (kind in ('platform','government','law_enforcement','court','ngo','public'))`,
  `create table issuer_registrations (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     authority text not null,
     jurisdictions text[] not null,
     order_kinds text[] not null,
     note text,
     registered_by text not null,
     registered_at timestamptz not null,
     revoked_at timestamptz,
     revoked_by text,
     revoke_reason text
   )`,
  `create index issuer_registrations_org on issuer_registrations(org_id)`,
  `alter table notices add column order_kind text`,
  `create table deadline_clocks (
     id uuid primary key,
     subject_type text not null check (subject_type in ('appeal','objection','escalation_step')),
     subject_id uuid not null,
     case_id uuid,
     notice_id uuid,
     org_id uuid,
     started_at timestamptz not null,
     hours double precision not null,
     due_at timestamptz not null,
     marks_announced integer not null default 0,
     next_mark_at timestamptz,
     stopped_at timestamptz,
     unique (subject_type, subject_id)
   )`,
  `create index deadline_clocks_next on deadline_clocks(next_mark_at) where stopped_at is null`,
  `create table objections (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     message_id uuid not null,
     grounds text not null,
     case_ids uuid[] not null,
     decision_ids uuid[] not null,
     deciders uuid[] not null,
     jurisdiction text not null,
     language text not null,
     notice_status_before text not null,
     status text not null check (status in ('open','answered')),
     outcome text check (outcome in ('maintained','reopened')),
     answer text,
     answered_by uuid,
     answered_at timestamptz,
     answer_message_id uuid,
     created_at timestamptz not null
   )`,
  `create unique index objections_one_open on objections(notice_id) where status = 'open'`,
  `create table escalation_steps (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     step text not null check (step in ('first_warning','second_warning','access_blocking_recommendation')),
     position integer not null,
     legal_basis text not null,
     letter_reference text,
     fine jsonb,
     reasons text not null,
     issued_by text not null,
     issued_at timestamptz not null,
     message_id uuid not null,
     answered_at timestamptz,
     unique (notice_id, step)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop table escalation_steps`,
    `drop table objections`,
    `drop table deadline_clocks`,
    `alter table notices drop column order_kind`,
    `drop table issuer_registrations`,
    `alter table organisations drop constraint organisations_kind_check`,
    `alter table organisations add constraint organisations_kind_check
       check (kind in ('platform','government','law_enforcement','ngo','public'))`,
  ]);
}
