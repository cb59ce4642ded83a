import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';

/**
 * Refuses to go on when the configured database does not exist yet. Opening it would create
 * it: PGlite runs initdb in any folder it is given, and a command run from the wrong folder
 * (TAPIS_DATA_DIR defaults to ./data) would leave an empty database there and then report
 * that it found nothing, which reads as "your data is gone".
 *
 * A database exists when the PGlite folder holds PG_VERSION (initdb's first file), or when
 * the PostgreSQL schema holds Kysely's migration table (tapis has been set up there).
 */
export async function assertDatabaseExists(config: Config): Promise<void> {
  if (!config.DATABASE_URL) {
    const dir = path.resolve(config.TAPIS_DATA_DIR);
    if (existsSync(path.join(dir, 'PG_VERSION'))) return;
    throw new Error(
      `no tapis database in ${dir} (TAPIS_DATA_DIR=${config.TAPIS_DATA_DIR}): set TAPIS_DATA_DIR to the data folder the server uses, or create one with \`tapis migrate\``,
    );
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 10_000 });
  const table = `${config.DATABASE_SCHEMA ? `"${config.DATABASE_SCHEMA}".` : ''}kysely_migration`;
  let found: boolean;
  try {
    await client.connect();
    const { rows } = await client.query<{ found: string | null }>('select to_regclass($1) as found', [table]);
    found = rows[0]?.found != null;
  } finally {
    await client.end().catch(() => {});
  }
  if (found) return;
  const where = config.DATABASE_SCHEMA ? ` in schema ${config.DATABASE_SCHEMA} (DATABASE_SCHEMA)` : '';
  throw new Error(
    `no tapis database at DATABASE_URL${where}: point DATABASE_URL at the database the server uses, or create one with \`tapis migrate\` (without DATABASE_URL, the CLI uses the PGlite folder TAPIS_DATA_DIR)`,
  );
}
