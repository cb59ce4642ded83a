import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../src/identity/authenticate.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';
import { onPostgres } from '../support/store.ts';

let shared: SharedStore;
beforeAll(async () => {
  shared = await createSharedStore();
});
afterAll(() => shared.dispose());

describe('the identity commands', () => {
  it('create an organisation, a user and a key, and revoke the key', async () => {
    const org = await runCli(
      ['org', 'create', '--slug', 'polri', '--name', 'Police cyber unit', '--kind', 'law_enforcement'],
      shared.env,
    );
    expect(org.stderr).toBe('');
    expect(JSON.parse(org.stdout)).toMatchObject({
      slug: 'polri',
      kind: 'law_enforcement',
      flagger_status: 'regular',
    });

    const user = await runCli(
      [
        'user',
        'create',
        '--org',
        'polri',
        '--email',
        'Analyst@Polri.Example',
        '--name',
        'Analyst',
        '--roles',
        'flagger,flagger_admin',
        '--languages',
        'id',
      ],
      shared.env,
    );
    expect(user.code).toBe(0);
    const created = JSON.parse(user.stdout);
    expect(created.user).toMatchObject({
      email: 'analyst@polri.example',
      roles: ['flagger', 'flagger_admin'],
      languages: ['id'],
    });
    expect(created.password).toEqual(expect.any(String));

    const key = await runCli(
      ['key', 'create', '--org', 'polri', '--scopes', 'notices:submit,notices:read'],
      shared.env,
    );
    expect(key.code).toBe(0);
    const plain = key.stdout.trim();
    expect(plain).toMatch(/^tapis_\w{12}_\w{32}$/);
    expect(key.stderr).toMatch(/shown this once/);

    const store = await shared.open();
    try {
      const auth = await authenticateApiKey(store.db, plain, new Date());
      expect('actor' in auth && [...auth.actor.permissions].sort()).toEqual([
        'notices:read',
        'notices:submit',
      ]);
    } finally {
      await store.close();
    }

    const revoke = await runCli(['key', 'revoke', plain.split('_')[1]!], shared.env);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/revoked/);
    const after = await shared.open();
    try {
      expect(await authenticateApiKey(after.db, plain, new Date())).toEqual({
        failure: 'this API key was revoked',
      });
    } finally {
      await after.close();
    }
  }, 60_000);

  it('write errors to stderr and exit non-zero', async () => {
    const badKind = await runCli(
      ['org', 'create', '--slug', 'x-org', '--name', 'X', '--kind', 'cabal'],
      shared.env,
    );
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toMatch(/--kind must be one of/);
    expect(badKind.stdout).toBe('');

    const noOrg = await runCli(['key', 'create', '--org', 'missing'], shared.env);
    expect(noOrg.code).not.toBe(0);
    expect(noOrg.stderr).toMatch(/no organisation with slug 'missing'/);

    const badScope = await runCli(['key', 'create', '--org', 'polri', '--scopes', 'audit:read'], shared.env);
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toMatch(/cannot carry audit:read/);
  }, 60_000);

  it('refuse a platform role for a user of a flagger organisation', async () => {
    const org = await runCli(
      ['org', 'create', '--slug', 'bnpt', '--name', 'Counter-terrorism agency', '--kind', 'government'],
      shared.env,
    );
    expect(org.code).toBe(0);
    for (const role of ['auditor', 'reviewer']) {
      const user = await runCli(
        [
          'user',
          'create',
          '--org',
          'bnpt',
          '--email',
          `${role}@bnpt.example`,
          '--name',
          'X',
          '--roles',
          role,
        ],
        shared.env,
      );
      expect(user.code).not.toBe(0);
      expect(user.stderr).toMatch(new RegExp(`government organisation cannot hold ${role}`));
      expect(user.stdout).toBe('');
    }
  }, 60_000);

  it.skipIf(onPostgres)(
    'refuses a PGlite data folder that a running server holds',
    async () => {
      // This test process stands in for the server: its pid is alive.
      writeFileSync(path.join(shared.env.TAPIS_DATA_DIR!, 'tapis.pid'), String(process.pid));
      const result = await runCli(['audit', 'verify'], shared.env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/another tapis process \(pid \d+\) is using the data folder/);
    },
    30_000,
  );
});
