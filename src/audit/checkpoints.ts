import { sign } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { sql } from 'kysely';
import { currentSigningKey, publicJwks } from '../notices/signing-keys.ts';
import type { Db } from '../store/db.ts';
import type { ChainFault } from './chain.ts';

/**
 * Signed checkpoints of the audit chain's head (docs/decisions/0021). A hash chain shows an
 * entry altered, removed or reordered, but not its newest entries removed: what remains is a
 * valid, shorter chain. So each verification signs the head it checked (seq and hash, with
 * the receipt key, Ed25519), keeps the checkpoint in audit_checkpoints, logs it and hands it
 * to the verifier; a later verification wants every checkpoint's entry still there with the
 * same hash. A checkpoint kept outside the database (the answer, the log) still tells when
 * someone who can write the database removed the checkpoints too: give it back as an anchor.
 */
export const CHECKPOINT_TYPE = 'tapis-audit-checkpoint+jws';

export interface CheckpointClaims {
  iss: 'tapis';
  seq: number;
  hash: string;
  at: string;
}

export async function signCheckpoint(
  db: Db,
  head: { seq: number; hash: string },
  now: Date,
): Promise<string> {
  const key = await currentSigningKey(db);
  const claims: CheckpointClaims = { iss: 'tapis', seq: head.seq, hash: head.hash, at: now.toISOString() };
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: CHECKPOINT_TYPE })).toString(
    'base64url',
  );
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signed = `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
  await db
    .insertInto('audit_checkpoints')
    .values({ seq: head.seq, hash: head.hash, signed, created_at: now })
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
  return signed;
}

/** The claims of a checkpoint signed by one of our keys, or why it is not one. */
export async function readCheckpoint(
  db: Db,
  signed: string,
): Promise<{ claims: CheckpointClaims } | { refused: string }> {
  try {
    if (decodeProtectedHeader(signed).typ !== CHECKPOINT_TYPE) return { refused: 'not an audit checkpoint' };
    const { payload } = await compactVerify(signed, createLocalJWKSet(await publicJwks(db)), {
      algorithms: ['EdDSA'],
    });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as CheckpointClaims;
    if (!Number.isSafeInteger(claims.seq) || typeof claims.hash !== 'string')
      return { refused: 'the checkpoint names no entry' };
    return { claims };
  } catch {
    return { refused: 'not a checkpoint signed by this instance’s keys' };
  }
}

/**
 * The first checkpoint — stored, or given as an anchor — whose entry is gone from the chain
 * or has another hash. Run after the chain itself verified, so that an entry still there
 * with the checkpoint's hash means every entry up to it is as it was signed.
 */
export async function checkpointFault(
  db: Db,
  anchors: readonly { seq: number; hash: string }[] = [],
): Promise<ChainFault | null> {
  const stored = await db.selectFrom('audit_checkpoints').select(['seq', 'hash']).orderBy('seq').execute();
  const wanted = [...stored, ...anchors].sort((a, b) => a.seq - b.seq);
  if (wanted.length === 0) return null;
  const seqs = [...new Set(wanted.map((c) => c.seq))];
  const present = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', seqs).execute();
  const hashOf = new Map(present.map((r) => [Number(r.seq), r.hash]));
  for (const checkpoint of wanted) {
    const hash = hashOf.get(Number(checkpoint.seq));
    if (hash === undefined) {
      const head = await db
        .selectFrom('audit_log')
        .select(sql<number | null>`max(seq)`.as('seq'))
        .executeTakeFirst();
      return {
        seq: Number(checkpoint.seq),
        problem: 'missing',
        detail: `entry ${checkpoint.seq} was signed in a checkpoint but the chain now ends at ${head?.seq ?? 0}: its newest entries were removed`,
      };
    }
    if (hash !== checkpoint.hash)
      return {
        seq: Number(checkpoint.seq),
        problem: 'altered',
        detail: `entry ${checkpoint.seq} no longer has the hash its checkpoint signed`,
      };
  }
  return null;
}
