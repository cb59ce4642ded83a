import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A bulk job whose delivery gave up (its outbox message died) is `failed`, with the reason,
 * instead of staying `running` for ever; sending the same file with the same
 * Idempotency-Key resumes it.
 */
const statements = [`alter table bulk_jobs add column error text`];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`alter table bulk_jobs drop column error`]);
}
