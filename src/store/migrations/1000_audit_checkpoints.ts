import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Signed checkpoints of the audit chain's head (docs/decisions/0021). The hash chain shows
 * an entry altered, removed or reordered, but not the newest entries removed: what is left
 * is a valid chain. A checkpoint (the head's seq and hash, signed with the receipt key) is
 * kept here and handed to whoever verified; the verifier then wants every checkpoint's
 * entry still in the chain, with its hash. Append-only, as the audit log is.
 */
const statements = [
  `create table audit_checkpoints (
     seq bigint primary key,
     hash text not null,
     signed text not null,
     created_at timestamptz not null
   )`,
  `create function audit_checkpoints_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_checkpoints is append-only';
    end $$`,
  `create trigger audit_checkpoints_no_update before update or delete on audit_checkpoints
    for each row execute function audit_checkpoints_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop trigger audit_checkpoints_no_update on audit_checkpoints`,
    `drop function audit_checkpoints_append_only()`,
    `drop table audit_checkpoints`,
  ]);
}
