import { runStatements } from "./run-statements.js";
/**
 * Trusted-flagger governance: whether each flagger's precision is below the threshold, and
 * since when, so that a lead is alerted when it falls below, not again every hour while it
 * stays there (src/flaggers/precision-review.ts). Written only when that changes.
 */
const statements = [
    `create table flagger_precision_state (
     org_id uuid primary key references organisations(id),
     below_since timestamptz,
     figure jsonb not null,
     changed_at timestamptz not null
   )`,
    `create index flagger_status_changes_org on flagger_status_changes(org_id, effective_at)`,
    `create index flagger_warnings_org on flagger_warnings(org_id, at)`,
    `create index organisations_suspended_until on organisations(suspended_until) where flagger_status = 'suspended'`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [
        'drop index organisations_suspended_until',
        'drop index flagger_warnings_org',
        'drop index flagger_status_changes_org',
        'drop table flagger_precision_state',
    ]);
}
