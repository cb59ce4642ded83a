import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

/**
 * A fingerprint of every table of the application: its row count and a digest of its rows
 * (order-free). Two equal fingerprints mean the request between them changed nothing.
 *
 * What a refused request may rightly change is left out, and only that:
 * - login_failures: a refused login is counted, which is the point of throttling;
 * - sessions.last_seen_at / api_keys.last_used_at: touched when a caller is recognised,
 *   before the request is checked.
 */
const VOLATILE: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_keys: ['last_used_at'],
};
const IGNORED = new Set(['login_failures', 'kysely_migration', 'kysely_migration_lock']);

export type Snapshot = Map<string, string>;

export async function tablesOf(db: Db): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name).filter((t) => !IGNORED.has(t));
}

/** One statement for all tables, so a snapshot costs one round trip. */
export function snapshotQuery(tables: string[]): string {
  return tables
    .map((table) => {
      const drop = (VOLATILE[table] ?? []).map((c) => ` - '${c}'`).join('');
      const row = `md5((to_jsonb(t)${drop})::text)`;
      return `select '${table}' as name, count(*)::text || ':' || coalesce(md5(string_agg(${row}, '' order by ${row})), '') as digest from "${table}" t`;
    })
    .join(' union all ');
}

export async function snapshot(db: Db, query: string): Promise<Snapshot> {
  const result = await sql<{ name: string; digest: string }>`${sql.raw(query)}`.execute(db);
  return new Map(result.rows.map((r) => [r.name, r.digest]));
}

/** The tables whose fingerprint differs. */
export function changed(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n));
}
