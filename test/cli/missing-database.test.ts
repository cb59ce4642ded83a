import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { onPostgres } from '../support/store.ts';

/**
 * A command that reads (or can do nothing on an empty database) never creates one: run from
 * the wrong folder, it used to leave an empty PGlite database in ./data and report that it
 * found nothing. It names the setting to fix instead.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-missing-db-'));
const bankCsv = path.join(dir, 'bank.csv');
writeFileSync(bankCsv, 'signal_type,signal\n');

const commands: [string, string[]][] = [
  ['audit verify', ['audit', 'verify']],
  ['banks export', ['banks', 'export', '--bank', 'seen']],
  ['purge --dry-run', ['purge', '--dry-run']],
  ['purge', ['purge']],
  [
    'user create',
    ['user', 'create', '--org', 'x', '--email', 'a@x.example', '--name', 'A', '--roles', 'flagger'],
  ],
  ['key create', ['key', 'create', '--org', 'x']],
  ['key revoke', ['key', 'revoke', 'abc']],
];

describe.skipIf(onPostgres)('the CLI on a PGlite data folder that does not exist', () => {
  it.each(commands)(
    '%s is refused with an error naming TAPIS_DATA_DIR, and creates nothing',
    async (_, args) => {
      const missing = path.join(dir, `absent-${randomBytes(4).toString('hex')}`);
      const result = await runCli(args, { TAPIS_DATA_DIR: missing, DATABASE_URL: '' }, undefined, {
        cwd: dir,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`no tapis database in ${missing} (TAPIS_DATA_DIR=${missing})`);
      expect(existsSync(missing)).toBe(false);
      expect(existsSync(path.join(dir, 'data'))).toBe(false);
    },
  );

  it('a data folder without a database in it (an empty folder) is refused too, and left as it was', async () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    const result = await runCli(['audit', 'verify'], { TAPIS_DATA_DIR: empty, DATABASE_URL: '' });
    expect(result.stderr).toMatch(/no tapis database in .* \(TAPIS_DATA_DIR=/);
    expect(existsSync(path.join(empty, 'PG_VERSION'))).toBe(false);
    expect(existsSync(path.join(empty, 'tapis.pid'))).toBe(false);
  });

  it('migrate still creates the database, and then the reading commands work', async () => {
    const fresh = path.join(dir, `fresh-${randomBytes(4).toString('hex')}`);
    const env = { TAPIS_DATA_DIR: fresh, DATABASE_URL: '' };
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/audit chain intact/);
  }, 120_000);
});

describe.skipIf(!onPostgres)('the CLI on a PostgreSQL schema that does not exist', () => {
  const url = process.env.TEST_DATABASE_URL ?? '';

  async function schemaExists(schema: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select 1 from information_schema.schemata where schema_name = $1',
        [schema],
      );
      return rows.length > 0;
    } finally {
      await client.end();
    }
  }

  it.each(commands)(
    '%s is refused with an error naming DATABASE_URL, and creates no schema',
    async (_, args) => {
      const schema = `test_missing_${randomBytes(5).toString('hex')}`;
      const result = await runCli(args, { DATABASE_URL: url, DATABASE_SCHEMA: schema });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `no tapis database at DATABASE_URL in schema ${schema} (DATABASE_SCHEMA)`,
      );
      expect(await schemaExists(schema)).toBe(false);
    },
  );
});
