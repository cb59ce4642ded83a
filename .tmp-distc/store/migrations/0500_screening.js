import { runStatements } from "./run-statements.js";
/**
 * Hash banks: named sets of signals with provenance and a policy. Every insertion and
 * removal takes a number from one sequence (`change_seq`), so that each process's
 * in-memory matcher follows the changes by polling past the last number it saw.
 */
const statements = [
    `create sequence bank_change_seq`,
    `create table banks (
     id uuid primary key,
     name text not null unique,
     description text,
     enabled boolean not null default true,
     policy text not null check (policy in ('review','auto_action')),
     auto_action jsonb,
     created_by text not null,
     created_at timestamptz not null,
     updated_at timestamptz not null,
     change_seq bigint not null default nextval('bank_change_seq')
   )`,
    `create table bank_entries (
     id uuid primary key,
     bank_id uuid not null references banks(id),
     signal_type text not null,
     value text not null,
     quality integer,
     source text not null,
     added_by text not null,
     added_at timestamptz not null,
     case_id uuid,
     note text,
     metadata jsonb not null default '{}',
     removed_at timestamptz,
     change_seq bigint not null default nextval('bank_change_seq')
   )`,
    `create unique index bank_entries_live on bank_entries(bank_id, signal_type, value) where removed_at is null`,
    `create index bank_entries_changes on bank_entries(change_seq)`,
    `create index bank_entries_bank on bank_entries(bank_id, added_at)`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, ['drop table bank_entries, banks', 'drop sequence bank_change_seq']);
}
