import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A change to the banks (an entry added or removed, a bank enabled, disabled or given another
 * policy) notifies `tapis_bank_changed` with the schema as payload; PostgreSQL delivers it
 * when the transaction commits, so every process following the channel
 * (src/scanning/bank-freshness.ts) reloads the change at once instead of at its next poll.
 * One notification per statement: a CSV import of 100,000 entries wakes each process once.
 */
const statements = [
  `create or replace function notify_bank_changed() returns trigger language plpgsql as $fn$
   begin perform pg_notify('tapis_bank_changed', current_schema()); return null; end $fn$`,
  `create trigger bank_entries_notify after insert or update or delete on bank_entries
     for each statement execute function notify_bank_changed()`,
  `create trigger banks_notify after insert or update or delete on banks
     for each statement execute function notify_bank_changed()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop trigger banks_notify on banks`,
    `drop trigger bank_entries_notify on bank_entries`,
    `drop function notify_bank_changed()`,
  ]);
}
