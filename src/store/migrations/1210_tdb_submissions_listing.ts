import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/** GET /v1/statements/submissions lists the submissions newest first, paged by (queued_at, statement_id). */
const statements = [
  `create index tdb_submissions_queued on tdb_submissions(queued_at desc, statement_id desc)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop index tdb_submissions_queued`]);
}
