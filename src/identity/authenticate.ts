import type { Db } from '../store/db.ts';
import type { Actor } from './actor.ts';
import type { OrgKind, Permission } from './permissions.ts';
import { parseApiKey, sameHash, tokenHash } from './secrets.ts';
import { actorOfUser, userActorColumns } from './user-actor.ts';

export type Authentication = { actor: Actor } | { failure: string };

/**
 * API keys are looked up on every request of a system client; the rows are kept in memory
 * for a few seconds. A revocation forgets them at once, in this process and, through a
 * database notification, in every process that follows it (key-revocations.ts). The
 * expiry bounds what a process that missed a notification can hold.
 */
export const API_KEY_CACHE_MS = 5_000;
type KeyRow = Awaited<ReturnType<typeof readKey>>;
const keyCache = new WeakMap<Db, Map<string, { row: KeyRow; until: number }>>();
/**
 * Bumped by every forget: a row read before a revocation committed, whose answer arrives
 * after the forget, must not be cached (it would hold the key as it was for API_KEY_CACHE_MS).
 */
const generations = new WeakMap<Db, number>();

export function forgetApiKeys(db: Db): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
  keyCache.get(db)?.clear();
}

/** Resolves a bearer API key to its organisation's actor, or says why it cannot. */
export async function authenticateApiKey(db: Db, key: string, now: Date): Promise<Authentication> {
  const parsed = parseApiKey(key);
  if (!parsed) return { failure: 'the bearer token is not a tapis API key (tapis_…)' };
  const hash = tokenHash(key);
  let cache = keyCache.get(db);
  if (!cache) {
    cache = new Map();
    keyCache.set(db, cache);
  }
  const hit = cache.get(hash);
  let row: KeyRow;
  if (hit && hit.until > Date.now()) row = hit.row;
  else {
    const generation = generations.get(db) ?? 0;
    row = await readKey(db, parsed.prefix);
    if (generation === (generations.get(db) ?? 0)) {
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { row, until: Date.now() + API_KEY_CACHE_MS });
    }
  }
  return keyAuthentication(row, hash, now);
}

function keyAuthentication(row: KeyRow, hash: string, now: Date): Authentication {
  if (!row || !sameHash(row.secret_hash, hash)) return { failure: 'unknown API key' };
  if (row.revoked_at) return { failure: 'this API key was revoked' };
  if (row.expires_at && row.expires_at <= now) return { failure: 'this API key has expired' };
  return {
    actor: {
      type: 'key',
      id: row.id,
      displayName: row.name,
      orgId: row.org_id,
      orgSlug: row.org_slug,
      orgKind: row.org_kind as OrgKind,
      roles: [],
      permissions: new Set(row.scopes as Permission[]),
      languages: [],
      jurisdictions: [],
    },
  };
}

async function readKey(db: Db, prefix: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('organisations', 'organisations.id', 'api_keys.org_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.secret_hash',
      'api_keys.scopes',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'organisations.id as org_id',
      'organisations.slug as org_slug',
      'organisations.kind as org_kind',
    ])
    .where('api_keys.prefix', '=', prefix)
    .executeTakeFirst();
}

/** Resolves a console session cookie to its user. */
export async function authenticateSession(db: Db, token: string, now: Date): Promise<Authentication> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.revoked_at', ...userActorColumns])
    .where('sessions.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return { failure: 'the session has ended; log in again' };
  if (row.expires_at <= now) return { failure: 'the session has expired; log in again' };
  return { actor: { ...actorOfUser(row), sessionId: row.session_id } };
}
