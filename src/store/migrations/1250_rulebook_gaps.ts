import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Rulebook gaps (issue 14, decision 0022):
 * - authority_reports: a trusted flagger's evidence pack sent to its designating authority
 *   (DSA Art. 22(6)): to whom, when, the pack as sent and its digest, and when it was delivered;
 * - public_notifier_measures: warnings and suspensions of one member of the public, known by
 *   the hash of the e-mail they give (DSA Art. 23(2));
 * - out_of_court_disputes: a dispute brought to a certified out-of-court body against a
 *   decision (DSA Art. 21), for the transparency report (DSA Art. 24(1)(a)).
 */
const statements = [
  `create table authority_reports (
     id uuid primary key,
     flagger_org_id uuid not null references organisations(id),
     authority_org_id uuid not null references organisations(id),
     period_from timestamptz not null,
     period_to timestamptz not null,
     digest text not null,
     pack jsonb not null,
     note text,
     submitted_by text not null,
     submitted_at timestamptz not null,
     delivered_at timestamptz
   )`,
  `create index authority_reports_flagger on authority_reports(flagger_org_id, submitted_at)`,
  `create index authority_reports_authority on authority_reports(authority_org_id, submitted_at)`,
  `create table public_notifier_measures (
     id uuid primary key,
     email_hash text not null,
     kind text not null check (kind in ('warning', 'suspension')),
     reason text not null,
     notice_id uuid not null references notices(id),
     until timestamptz,
     issued_by text not null,
     at timestamptz not null,
     check (kind <> 'suspension' or until is not null)
   )`,
  `create index public_notifier_measures_email on public_notifier_measures(email_hash, at)`,
  `create table out_of_court_disputes (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     body_name text not null,
     body_certified_by text,
     brought_by text not null check (brought_by in ('affected_user', 'notifier')),
     reference text,
     submitted_at timestamptz not null,
     outcome text check (outcome in ('decision_upheld', 'decision_overturned', 'decision_changed', 'settled', 'withdrawn', 'refused_by_body')),
     decided_at timestamptz,
     implemented_at timestamptz,
     recorded_by text not null,
     recorded_at timestamptz not null,
     updated_at timestamptz not null,
     check (outcome is null or decided_at is not null),
     check (decided_at is null or decided_at >= submitted_at)
   )`,
  `create index out_of_court_disputes_decided on out_of_court_disputes(decided_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['drop table out_of_court_disputes, public_notifier_measures, authority_reports']);
}
