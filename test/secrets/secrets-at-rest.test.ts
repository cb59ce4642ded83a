import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/enforcement/connectors/webhook-signature.ts';
import { workerActor } from '../../src/identity/actor.ts';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { bindKeyring } from '../../src/secrets/bound.ts';
import { reveal, SecretUnavailable, sealWith } from '../../src/secrets/envelope.ts';
import { buildKeyring, DEMO_KEY_ID, keyId, keyringFromConfig } from '../../src/secrets/keyring.ts';
import { prepareStoredSecrets, SecretsStartupError } from '../../src/secrets/start-up.ts';
import { resealSecrets, surveySecrets } from '../../src/secrets/stored.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/**
 * Secrets at rest (issue 15, item 5): webhook secrets and the receipt key's private half
 * are sealed with TAPIS_SECRET_KEY, read raw from the database to prove it, re-sealed by a
 * rotation, and a wrong key is a clear message, never a crash.
 */
const newKey = () => randomBytes(32).toString('base64');
const kidOf = (key: string) => keyId(Buffer.from(key, 'base64'));

describe('a sealed value', () => {
  const key = newKey();
  const keyring = buildKeyring({ current: key });

  it('is v1:<kid>:<iv>:<ciphertext>:<tag> and opens only where it was sealed', () => {
    const sealed = sealWith(keyring.current!, 'whsec_synthetic', 'webhooks.secret:a');
    const [version, kid, iv, ciphertext, tag] = sealed.split(':');
    expect(version).toBe('v1');
    expect(kid).toBe(kidOf(key));
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(ciphertext).not.toContain('synthetic');
    expect(reveal(keyring, sealed, 'webhooks.secret:a')).toBe('whsec_synthetic');
    // Copied onto another row: the additional data differs, so it does not open.
    expect(() => reveal(keyring, sealed, 'webhooks.secret:b')).toThrow(/altered or moved/);
    // Two seals of one value differ (a fresh IV each time).
    expect(sealWith(keyring.current!, 'x', 'c')).not.toBe(sealWith(keyring.current!, 'x', 'c'));
  });

  it('refuses an altered value, a malformed one, and a key it does not hold, saying which', () => {
    const sealed = sealWith(keyring.current!, 'whsec_synthetic', 'ctx');
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(() => reveal(keyring, parts.join(':'), 'ctx')).toThrow(SecretUnavailable);
    expect(() => reveal(keyring, 'v1:only:three', 'ctx')).toThrow(/malformed/);
    const other = buildKeyring({ current: newKey() });
    expect(() => reveal(other, sealed, 'ctx')).toThrow(
      new RegExp(`sealed with key ${kidOf(key)}.*TAPIS_SECRET_KEY.*TAPIS_SECRET_KEYS_RETIRED`),
    );
    // A value stored as given (before a key was set) reads as it is.
    expect(reveal(other, 'whsec_plain', 'ctx')).toBe('whsec_plain');
  });

  it('takes keys as base64 or hex, and demo mode seals with a labelled demo key', () => {
    const bytes = randomBytes(32);
    expect(buildKeyring({ current: bytes.toString('hex') }).current!.kid).toBe(keyId(bytes));
    expect(buildKeyring({ current: bytes.toString('base64url') }).current!.kid).toBe(keyId(bytes));
    expect(() => buildKeyring({ current: 'too-short' })).toThrow(/TAPIS_SECRET_KEY: a 32-byte key/);
    const demo = keyringFromConfig({ TAPIS_DEMO: true });
    expect(demo).toMatchObject({ source: 'demo', current: { kid: DEMO_KEY_ID } });
    const production = keyringFromConfig({ TAPIS_DEMO: false });
    expect(production.current).toBeNull();
    // What demo mode sealed still opens outside it: the demo key is published anyway.
    const demoSealed = sealWith(demo.current!, 'whsec_demo', 'webhooks.secret:d');
    expect(reveal(production, demoSealed, 'webhooks.secret:d')).toBe('whsec_demo');
    // A real key set in demo mode is the current one; the demo key still opens old values.
    const both = keyringFromConfig({ TAPIS_DEMO: true, TAPIS_SECRET_KEY: bytes.toString('base64') });
    expect(both.current!.kid).toBe(keyId(bytes));
    expect(both.keys.has(DEMO_KEY_ID)).toBe(true);
  });
});

interface Setup {
  app: TestApp;
  admin: Caller;
  analyst: Caller;
  receiver: Receiver;
  worker: OutboxWorker;
}

/** A fresh app of the test's own, with a webhook receiver and an outbox worker. */
async function withApp(env: Record<string, string>, run: (s: Setup) => Promise<void>): Promise<void> {
  const app = await createTestApp({ env: { TAPIS_ALLOW_PRIVATE_NETWORKS: 'true', ...env } });
  const receiver = await startReceiver();
  try {
    const worker = new OutboxWorker({
      db: app.ctx.db,
      clock: app.clock,
      log: app.ctx.log,
      handlers: outboxHandlers(app.ctx),
    });
    await run({
      app,
      admin: await app.loginAs('admin@komdigi.example'),
      analyst: await app.loginAs('analis@komdigi.example'),
      receiver,
      worker,
    });
  } finally {
    await receiver.close();
    await app.close();
  }
}

async function registerHook(s: Setup): Promise<{ id: string; secret: string }> {
  const response = await s.app.request({
    method: 'POST',
    url: '/v1/webhooks',
    as: s.admin,
    payload: { url: s.receiver.url },
  });
  expect(response.statusCode).toBe(201);
  return { id: response.json().webhook.id, secret: response.json().secret };
}

async function submit(s: Setup, target: string): Promise<void> {
  const response = await s.app.request({
    method: 'POST',
    url: '/v1/notices',
    as: s.analyst,
    payload: {
      targets: [target],
      category: 'terrorism',
      explanation: 'Synthetic notice for the secrets-at-rest tests.',
      good_faith: true,
    },
  });
  expect(response.statusCode).toBe(201);
}

/** Runs the outbox until nothing is due, moving the clock past each backoff. */
async function drain(s: Setup, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if ((await s.worker.runOnce()) > 0) continue;
    const pending = await s.app.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (!pending) return;
    s.app.clock.advance(60_000);
  }
}

const rawSecrets = async (app: TestApp) =>
  (await sql<{ value: string }>`select secret as value from webhooks`.execute(app.ctx.db)).rows.map(
    (r) => r.value,
  );
const rawPrivateKeys = async (app: TestApp) =>
  (
    await sql<{ value: string | null }>`select private_jwk as value from signing_keys`.execute(app.ctx.db)
  ).rows.map((r) => r.value);

function verifies(s: Setup, secret: string, index: number): boolean {
  const delivery = s.receiver.received[index]!;
  return verifyWebhookSignature(
    secret,
    delivery.headers['tapis-signature'] as string,
    delivery.body,
    s.app.clock().getTime() / 1000,
  ).ok;
}

describe('stored secrets', () => {
  it('hold no plaintext in the database, and delivery still signs with the secret shown once', async () => {
    const key = newKey();
    await withApp({ TAPIS_SECRET_KEY: key }, async (s) => {
      const hook = await registerHook(s);
      await submit(s, '@sealed_one');
      const [stored] = await rawSecrets(s.app);
      expect(stored).toMatch(new RegExp(`^v1:${kidOf(key)}:`));
      expect(stored).not.toContain(hook.secret.slice('whsec_'.length));
      const privateKeys = await rawPrivateKeys(s.app);
      expect(privateKeys).toHaveLength(1);
      expect(privateKeys[0]).toMatch(new RegExp(`^v1:${kidOf(key)}:`));
      expect(privateKeys[0]).not.toContain('"d"');
      await drain(s);
      expect(s.receiver.received).toHaveLength(1);
      expect(verifies(s, hook.secret, 0)).toBe(true);
      expect(verifies(s, 'whsec_some_other_secret', 0)).toBe(false);
    });
  });

  it('are re-sealed under a new key by a rotation, after which the old key is not needed', async () => {
    const oldKey = newKey();
    const nextKey = newKey();
    await withApp({ TAPIS_SECRET_KEY: oldKey }, async (s) => {
      const hook = await registerHook(s);
      await submit(s, '@rotated_one');
      await drain(s);
      // The operator's steps: the new key current, the old one retired, then rotate.
      const during = buildKeyring({ current: nextKey, retired: [oldKey] });
      bindKeyring(s.app.ctx.db, during);
      expect(await surveySecrets(s.app.ctx.db, during)).toMatchObject({
        plaintext: 0,
        byKey: { [kidOf(oldKey)]: 2 },
        missingKeys: [],
        underOtherKeys: 2,
      });
      const progress: [number, number][] = [];
      const report = await resealSecrets(s.app.ctx.db, during, {
        scope: 'all',
        actor: workerActor,
        now: s.app.clock,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(report).toEqual({ resealed: 2, skipped: 0, kid: kidOf(nextKey) });
      expect(progress.at(0)).toEqual([0, 2]);
      expect(progress.at(-1)).toEqual([2, 2]);
      for (const value of [...(await rawSecrets(s.app)), ...(await rawPrivateKeys(s.app))])
        expect(value).toMatch(new RegExp(`^v1:${kidOf(nextKey)}:`));
      // A second run has nothing left to do.
      expect(
        (await resealSecrets(s.app.ctx.db, during, { scope: 'all', actor: workerActor, now: s.app.clock }))
          .resealed,
      ).toBe(0);
      const audit = await s.app.ctx.db
        .selectFrom('audit_log')
        .select(['object_id', 'change'])
        .where('action', '=', 'secrets.resealed')
        .execute();
      expect(audit.map((a) => a.object_id).sort()).toEqual(['signing_keys.private_jwk', 'webhooks.secret']);

      // The old key dropped: delivery still signs with the same secret.
      bindKeyring(s.app.ctx.db, buildKeyring({ current: nextKey }));
      await submit(s, '@rotated_two');
      await drain(s);
      expect(s.receiver.received).toHaveLength(2);
      expect(verifies(s, hook.secret, 1)).toBe(true);
    });
  });

  it('with the wrong key: start-up refuses and delivery records which key it needs, without crashing', async () => {
    const key = newKey();
    await withApp({ TAPIS_SECRET_KEY: key }, async (s) => {
      const hook = await registerHook(s);
      await submit(s, '@wrong_key_one');
      await drain(s);
      const wrong = buildKeyring({ current: newKey() });
      await expect(prepareStoredSecrets(s.app.ctx.db, wrong, s.app.ctx.log, s.app.clock)).rejects.toThrow(
        SecretsStartupError,
      );
      await expect(prepareStoredSecrets(s.app.ctx.db, wrong, s.app.ctx.log, s.app.clock)).rejects.toThrow(
        new RegExp(`sealed with key\\(s\\) ${kidOf(key)}.*TAPIS_SECRET_KEYS_RETIRED`),
      );
      await expect(
        prepareStoredSecrets(s.app.ctx.db, buildKeyring({}), s.app.ctx.log, s.app.clock),
      ).rejects.toThrow(/TAPIS_SECRET_KEY is not set/);

      bindKeyring(s.app.ctx.db, wrong);
      await submit(s, '@wrong_key_two');
      await s.worker.runOnce();
      const attempt = await s.app.ctx.db
        .selectFrom('webhook_deliveries')
        .select(['error', 'status_code'])
        .where('webhook_id', '=', hook.id)
        .where('error', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(attempt.status_code).toBeNull();
      expect(attempt.error).toContain(`sealed with key ${kidOf(key)}`);
      expect(s.receiver.received).toHaveLength(1);

      // The right key back: the event is retried and arrives, signed as before.
      bindKeyring(s.app.ctx.db, buildKeyring({ current: key }));
      await drain(s);
      expect(s.receiver.received).toHaveLength(2);
      expect(verifies(s, hook.secret, 1)).toBe(true);
    });
  });

  it('stored as given without a key are sealed at start-up once one is set; without one, a warning', async () => {
    await withApp({}, async (s) => {
      const hook = await registerHook(s);
      await submit(s, '@plain_one');
      // No key, not demo mode: kept as given (what a deployment had before this release).
      expect(await rawSecrets(s.app)).toEqual([hook.secret]);
      const lines: string[] = [];
      const log = createLogger(
        'info',
        new Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      );
      expect(await prepareStoredSecrets(s.app.ctx.db, buildKeyring({}), log, s.app.clock)).toEqual({
        sealed: 0,
      });
      expect(lines.join('')).toContain('TAPIS_SECRET_KEY is not set');

      const key = newKey();
      const keyring = buildKeyring({ current: key });
      bindKeyring(s.app.ctx.db, keyring);
      expect(await prepareStoredSecrets(s.app.ctx.db, keyring, log, s.app.clock)).toEqual({ sealed: 2 });
      expect((await surveySecrets(s.app.ctx.db, keyring)).plaintext).toBe(0);
      expect((await rawSecrets(s.app))[0]).toMatch(new RegExp(`^v1:${kidOf(key)}:`));
      await drain(s);
      expect(verifies(s, hook.secret, 0)).toBe(true);
    });
  });
});
