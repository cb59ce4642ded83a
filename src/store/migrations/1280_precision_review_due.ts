import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A decision no longer reviews its flaggers' precision in its own transaction: it marks them
 * due here, and the due pass (every 2 s, src/flaggers/precision-review.ts) reviews each marked
 * flagger once, in a transaction of its own. The review reads every decided target of the
 * flagger's last 90 days; done in the decision's transaction, under the audit chain's lock,
 * that read grew with the flagger's history and held every other audited write back (the
 * soak: 40 ms a decision after 3 minutes, and rising).
 */
const statements = [
  // No foreign key on purpose: its check would take FOR KEY SHARE on the organisation's row
  // while the decision holds the audit chain's lock, and a status change, warning or hearing
  // locks that row FOR UPDATE before it takes the audit lock: a cycle. A mark left behind by a
  // removed organisation is harmless (the review skips ids that are not flaggers).
  `create table flagger_precision_due (
     org_id uuid primary key,
     due_since timestamptz not null
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop table flagger_precision_due`]);
}
