import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { keyringOf } from '../secrets/bound.ts';
import { protect, reveal } from '../secrets/envelope.ts';
import { secretContext } from '../secrets/stored.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';

/**
 * The instance's Ed25519 keys for signing receipts. The first is made on first use and
 * kept in the database (its private half sealed, src/secrets/), so every process of a
 * deployment signs with the same key. A rotation retires the current key: its private half
 * is erased, so it never signs again, and its public half stays published, with the period
 * it signed in, so that the receipts it signed still verify.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

const column = { table: 'signing_keys', column: 'private_jwk' } as const;
const LOCK = 0x7a_70_15_02;

/**
 * How long a process keeps using the key it read. A rotation made in this process takes
 * effect at once; one made elsewhere (another process, the CLI) within this time.
 */
export const SIGNING_KEY_CACHE_MS = 10_000;
const cache = new WeakMap<Db, { key: Promise<SigningKey>; readAt: number }>();

export function currentSigningKey(db: Db): Promise<SigningKey> {
  const cached = cache.get(db);
  if (cached && performance.now() - cached.readAt < SIGNING_KEY_CACHE_MS) return cached.key;
  // One read per expiry, however many receipts are being signed at that moment.
  const entry = { key: loadSigningKey(db), readAt: performance.now() };
  cache.set(db, entry);
  entry.key.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return entry.key;
}

async function loadSigningKey(db: Db): Promise<SigningKey> {
  let row = await readCurrent(db);
  if (!row) {
    // Two processes starting together must end up with one key: the first insert wins.
    await transact(db, async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      if (await readCurrent(trx)) return;
      await insertNewKey(db, trx, undefined);
    });
    row = await readCurrent(db);
    if (!row) throw new Error('the receipt signing key was not created');
  }
  return openKey(db, row);
}

function readCurrent(db: Db) {
  return db
    .selectFrom('signing_keys')
    .select(['kid', 'private_jwk'])
    .where('retired_at', 'is', null)
    .where('private_jwk', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

function openKey(db: Db, row: { kid: string; private_jwk: string | null }): SigningKey {
  const jwk = JSON.parse(
    reveal(keyringOf(db), row.private_jwk!, secretContext(column, row.kid)),
  ) as JsonWebKey;
  return { kid: row.kid, privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
}

export interface SigningKeyRotation {
  kid: string;
  valid_from: Date;
  retired: string[];
}

/**
 * Retires the current key (erasing its private half) and makes a new one, in one
 * transaction with its audit entry. New receipts carry the new key's id.
 */
export async function rotateSigningKey(
  db: Db,
  actor: Actor | SystemActor,
  now: Date,
  reason?: string,
): Promise<SigningKeyRotation> {
  const outcome = await transact(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
    const retired = await trx
      .updateTable('signing_keys')
      .set({ retired_at: now, private_jwk: null })
      .where('retired_at', 'is', null)
      .returning('kid')
      .execute();
    const kid = await insertNewKey(db, trx, now);
    const result = { kid, valid_from: now, retired: retired.map((r) => r.kid) };
    await appendAudit(
      trx,
      actor,
      {
        action: 'signing_key.rotated',
        objectType: 'signing_key',
        objectId: kid,
        change: { ...result, reason: reason ?? null },
      },
      now,
    );
    return result;
  });
  cache.delete(db);
  return outcome;
}

/** A new key pair; the keyring is bound to the database handle, not to the transaction's. */
async function insertNewKey(db: Db, trx: Db, now: Date | undefined): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = `tapis-${(now ?? new Date()).toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
  await trx
    .insertInto('signing_keys')
    .values({
      kid,
      public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }),
      private_jwk: protect(
        keyringOf(db),
        JSON.stringify(await exportJWK(privateKey)),
        secretContext(column, kid),
      ),
      ...(now ? { created_at: now } : {}),
    })
    .execute();
  return kid;
}

/**
 * Every public key, retired ones included, so old receipts still verify. Each says when it
 * began to sign (`valid_from`) and, once retired, when it stopped (`valid_until`): members
 * beyond RFC 7517's, which JWKS readers ignore.
 */
export async function publicJwks(db: Db): Promise<{ keys: JWK[] }> {
  const rows = await db
    .selectFrom('signing_keys')
    .select(['public_jwk', 'created_at', 'retired_at'])
    .orderBy('created_at')
    .execute();
  return {
    keys: rows.map((r) => ({
      ...(r.public_jwk as JWK),
      valid_from: new Date(r.created_at).toISOString(),
      ...(r.retired_at ? { valid_until: new Date(r.retired_at).toISOString() } : {}),
    })),
  };
}
