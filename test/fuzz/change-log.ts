import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

/**
 * What a request changed in the database, for the property "a refused request changes
 * nothing". A fingerprint of every table before and after each request would say it too,
 * but costs a scan of every table per request; instead a row trigger on every table of the
 * application (installed in the fuzzer's own database only) writes down each row inserted,
 * updated or deleted. A change rolled back leaves no trace, as it leaves no change.
 *
 * What a refused request may rightly change is left out, and only that:
 * - login_failures: a refused login is counted, which is the point of throttling;
 * - sessions.last_seen_at / expires_at and api_keys.last_used_at: touched when a caller
 *   is recognised, before the request is checked;
 * - read audit entries (`read.%`): an earlier request's successful reads are buffered and
 *   appended a moment later (src/audit/read-audit.ts), so they may land while a refused
 *   request runs. Only a 2xx answer records a read, so a refused request adds none itself.
 */
const VOLATILE: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_keys: ['last_used_at'],
};
const IGNORED = new Set(['login_failures', 'kysely_migration', 'kysely_migration_lock', 'fuzz_changes']);

export async function tablesOf(db: Db): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name).filter((t) => !IGNORED.has(t));
}

export async function recordChanges(db: Db): Promise<string[]> {
  await sql`create table if not exists fuzz_changes (table_name text not null, op text not null)`.execute(db);
  await sql`
    create or replace function fuzz_record_change() returns trigger language plpgsql as $$
    declare
      o jsonb;
      n jsonb;
    begin
      if TG_TABLE_NAME = 'audit_log' and TG_OP = 'INSERT' then
        if to_jsonb(NEW)->>'action' like 'read.%' then
          return null;
        end if;
      end if;
      if TG_OP = 'UPDATE' then
        o := to_jsonb(OLD);
        n := to_jsonb(NEW);
        for i in 0 .. TG_NARGS - 1 loop
          o := o - TG_ARGV[i];
          n := n - TG_ARGV[i];
        end loop;
        if o = n then
          return null;
        end if;
      end if;
      insert into fuzz_changes (table_name, op) values (TG_TABLE_NAME, TG_OP);
      return null;
    end $$`.execute(db);
  const tables = await tablesOf(db);
  for (const table of tables) {
    const args = (VOLATILE[table] ?? []).map((c) => `'${c}'`).join(', ');
    await sql
      .raw(
        `create trigger fuzz_change after insert or update or delete on "${table}" for each row execute function fuzz_record_change(${args})`,
      )
      .execute(db);
  }
  return tables;
}

/** The changes written down since the last call (table and operation), and forgets them. */
export async function takeChanges(db: Db): Promise<string[]> {
  const result = await sql<{ table_name: string; op: string }>`
    delete from fuzz_changes returning table_name, op`.execute(db);
  return [...new Set(result.rows.map((r) => `${r.op} ${r.table_name}`))].sort();
}
