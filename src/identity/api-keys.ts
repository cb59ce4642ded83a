import { appendAudit } from '../audit/log.ts';
import { invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import type { Actor, SystemActor } from './actor.ts';
import { forgetApiKeys } from './authenticate.ts';
import { announceKeyRevocation } from './key-revocations.ts';
import { assertManages, assertManagesRecord, findOrganisation } from './organisations.ts';
import { keyScopesForOrgKind, type Permission } from './permissions.ts';
import { generateApiKey } from './secrets.ts';

export interface NewApiKeyInput {
  org: string;
  name: string;
  /** Defaults to every scope the organisation's kind may hold. */
  scopes?: Permission[] | undefined;
  expires_at?: Date | null | undefined;
}

export interface ApiKeyView {
  id: string;
  org: string;
  name: string;
  prefix: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}

/** Creates a key and returns it in plain text this once; only its hash is kept. */
export async function createApiKey(
  db: Db,
  actor: Actor | SystemActor,
  input: NewApiKeyInput,
  now: Date,
): Promise<{ key: string; view: ApiKeyView }> {
  const org = await findOrganisation(db, input.org);
  assertManages(actor, org.id);
  const allowed = keyScopesForOrgKind(org.kind);
  const scopes = input.scopes ?? [...allowed];
  const wrong = scopes.filter((s) => !allowed.includes(s));
  if (wrong.length > 0) {
    throw invalid(
      `a key of a ${org.kind} organisation cannot carry ${wrong.join(', ')}; allowed: ${allowed.join(', ')}`,
      [{ pointer: '/scopes', detail: `not allowed: ${wrong.join(', ')}` }],
    );
  }
  if (scopes.length === 0)
    throw invalid('a key needs at least one scope', [{ pointer: '/scopes', detail: 'empty' }]);
  if (input.expires_at && input.expires_at <= now) {
    throw invalid('expires_at must be in the future', [{ pointer: '/expires_at', detail: 'in the past' }]);
  }
  const generated = generateApiKey();
  const row = {
    id: newId(),
    org_id: org.id,
    name: input.name,
    prefix: generated.prefix,
    secret_hash: generated.secretHash,
    scopes,
    expires_at: input.expires_at ?? null,
    created_by: actor.type === 'system' ? null : actor.id,
    created_at: now,
  };
  await transact(db, async (trx) => {
    await trx.insertInto('api_keys').values(row).execute();
    const { secret_hash: _, ...change } = row;
    await appendAudit(
      trx,
      actor,
      { action: 'api_key.created', objectType: 'api_key', objectId: row.id, change },
      now,
    );
  });
  return {
    key: generated.key,
    view: { ...row, org: org.slug, revoked_at: null, last_used_at: null },
  };
}

export async function listApiKeys(
  db: Db,
  actor: Actor | SystemActor,
  orgSlug: string,
): Promise<ApiKeyView[]> {
  const org = await findOrganisation(db, orgSlug);
  assertManages(actor, org.id);
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'scopes', 'expires_at', 'revoked_at', 'created_at', 'last_used_at'])
    .where('org_id', '=', org.id)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, org: org.slug }));
}

/** Revokes a key by id or by its prefix. Revoking twice is harmless. */
export async function revokeApiKey(
  db: Db,
  actor: Actor | SystemActor,
  idOrPrefix: string,
  now: Date,
): Promise<ApiKeyView> {
  const revoked = await transact(db, async (trx) => {
    const column = /^[0-9a-f-]{36}$/i.test(idOrPrefix) ? 'api_keys.id' : 'api_keys.prefix';
    const key = await trx
      .selectFrom('api_keys')
      .innerJoin('organisations', 'organisations.id', 'api_keys.org_id')
      .select([
        'api_keys.id',
        'api_keys.org_id',
        'organisations.slug as org',
        'api_keys.name',
        'prefix',
        'scopes',
        'expires_at',
        'revoked_at',
        'api_keys.created_at',
        'last_used_at',
      ])
      .where(column, '=', idOrPrefix.replace(/^tapis_/, '').split('_')[0]!)
      .executeTakeFirst();
    if (!key) throw notFound(`no API key ${idOrPrefix}`);
    assertManagesRecord(actor, key.org_id, `no API key ${idOrPrefix}`);
    if (key.revoked_at) return key;
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', key.id).execute();
    await announceKeyRevocation(trx);
    await appendAudit(
      trx,
      actor,
      { action: 'api_key.revoked', objectType: 'api_key', objectId: key.id, change: { revoked_at: now } },
      now,
    );
    return { ...key, revoked_at: now };
  });
  // After the commit, so that no request caches the key as it was. Other processes hear of
  // it through the notification (key-revocations.ts).
  forgetApiKeys(db);
  return revoked;
}
