import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { currentSigningKey } from '../../src/notices/signing-keys.ts';
import { startTapis } from '../../src/runtime/start.ts';
import { keyId } from '../../src/secrets/keyring.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';

/**
 * Start-up with stored secrets it cannot open, and `tapis secrets …` (issue 15, item 5):
 * the server refuses to start without the key that sealed them, and says which; the CLI
 * re-seals under a new key and rotates the receipt key.
 */
const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('hex');
const oldKid = keyId(Buffer.from(oldKey, 'base64'));
const newKid = keyId(Buffer.from(newKey, 'hex'));
let shared: SharedStore;

const start = (env: Record<string, string>) =>
  startTapis(
    loadConfig(
      { ...shared.env, PORT: '0', LOG_LEVEL: 'silent', TAPIS_WORKERS: 'false', ...env },
      '/nonexistent',
    ),
  );

beforeAll(async () => {
  shared = await createSharedStore();
  const store = await shared.open();
  await migrateToLatest(store);
  await store.close();
});
afterAll(async () => {
  await shared.dispose();
});

describe('stored secrets at start-up and `tapis secrets`', () => {
  it('refuses to start without the key that sealed them, re-seals with rotate, rotates the receipt key', async () => {
    // A server with the old key makes its receipt key, sealed.
    const first = await start({ TAPIS_SECRET_KEY: oldKey });
    const firstKid = (await currentSigningKey(first.ctx.db)).kid;
    await first.stop();

    await expect(start({})).rejects.toThrow(
      new RegExp(`sealed with key\\(s\\) ${oldKid}.*TAPIS_SECRET_KEY is not set`),
    );
    await expect(start({ TAPIS_SECRET_KEY: newKey })).rejects.toThrow(/TAPIS_SECRET_KEYS_RETIRED/);

    const env = { ...shared.env, TAPIS_SECRET_KEY: newKey, TAPIS_SECRET_KEYS_RETIRED: oldKey };
    const before = await runCli(['secrets', 'status', '--json'], env);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({
      current_key: newKid,
      plaintext: 0,
      byKey: { [oldKid]: 1 },
    });

    const rotated = await runCli(['secrets', 'rotate'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`1 secret(s) sealed under key ${newKid}`);

    // The old key dropped: the status is clean, and the server starts with the new key alone.
    const onlyNew = { ...shared.env, TAPIS_SECRET_KEY: newKey };
    const after = await runCli(['secrets', 'status', '--json'], onlyNew);
    expect(JSON.parse(after.stdout)).toMatchObject({ byKey: { [newKid]: 1 }, missingKeys: [] });
    const second = await start({ TAPIS_SECRET_KEY: newKey });
    expect((await currentSigningKey(second.ctx.db)).kid).toBe(firstKid);
    await second.stop();

    const receiptKey = await runCli(
      ['secrets', 'rotate-receipt-key', '--json', '--reason', 'synthetic drill'],
      onlyNew,
    );
    expect(receiptKey.code, receiptKey.stderr).toBe(0);
    const rotation = JSON.parse(receiptKey.stdout);
    expect(rotation.retired).toEqual([firstKid]);
    const store = await shared.open();
    try {
      const rows = (
        await sql<{ kid: string; private_jwk: string | null; retired_at: Date | null }>`
          select kid, private_jwk, retired_at from signing_keys order by created_at`.execute(store.db)
      ).rows;
      expect(rows.map((r) => [r.kid, r.private_jwk === null, r.retired_at !== null])).toEqual([
        [firstKid, true, true],
        [rotation.kid, false, false],
      ]);
      expect(rows[1]!.private_jwk).toMatch(new RegExp(`^v1:${newKid}:`));
    } finally {
      await store.close();
    }
    // Three starts and four CLI runs: generous for a loaded CI machine.
  }, 180_000);

  it('prints a new key that TAPIS_SECRET_KEY accepts, and names a wrong one clearly', async () => {
    const made = await runCli(['secrets', 'new-key']);
    expect(made.code).toBe(0);
    expect(Buffer.from(made.stdout.trim(), 'base64')).toHaveLength(32);
    expect(() => loadConfig({ TAPIS_SECRET_KEY: made.stdout.trim() }, '/nonexistent')).not.toThrow();
    const wrong = await runCli(['secrets', 'status'], { ...shared.env, TAPIS_SECRET_KEY: 'not-a-key' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('TAPIS_SECRET_KEY: a 32-byte key');
    expect(wrong.stderr).not.toContain('at ');
  });
});
