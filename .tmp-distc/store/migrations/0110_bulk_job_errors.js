import { runStatements } from "./run-statements.js";
/**
 * A bulk job whose delivery gave up (its outbox message died) is `failed`, with the reason,
 * instead of staying `running` for ever; sending the same file with the same
 * Idempotency-Key resumes it.
 */
const statements = [`alter table bulk_jobs add column error text`];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [`alter table bulk_jobs drop column error`]);
}
