import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { invalid, toPointer } from '../core/errors.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { defaultPolicy, policySchema, type SopPolicy } from './sop-policy.ts';

/**
 * The SOP policy in force is the newest version in `sop_policies`; the first version is
 * the default file shipped in the repository. Every version is kept and its creation
 * audited. Reads are cached for a few seconds: a change made in this process is seen at
 * once, one made by another process within the cache's lifetime.
 */
export interface PolicyVersion {
  version: number;
  document: SopPolicy;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

const CACHE_MS = 5_000;
const cache = new WeakMap<Db, { at: number; policy: PolicyVersion }>();

export async function currentPolicy(db: Db): Promise<PolicyVersion> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.policy;
  let row = await db
    .selectFrom('sop_policies')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) {
    await installDefaultPolicy(db);
    row = await db
      .selectFrom('sop_policies')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
  }
  const policy = { ...row, document: row.document as SopPolicy };
  cache.set(db, { at: Date.now(), policy });
  return policy;
}

async function installDefaultPolicy(db: Db): Promise<void> {
  await transact(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${0x7a_70_15_03})`.execute(trx);
    const any = await trx.selectFrom('sop_policies').select('version').executeTakeFirst();
    if (any) return;
    const now = new Date();
    await trx
      .insertInto('sop_policies')
      .values({
        version: 1,
        document: JSON.stringify(defaultPolicy),
        note: 'the default policy shipped with tapis',
        created_by: 'system',
        created_at: now,
      })
      .execute();
    await appendAudit(
      trx,
      { type: 'system', id: 'policy-default' },
      {
        action: 'policy.version_created',
        objectType: 'sop_policy',
        objectId: '1',
        change: { version: 1, note: 'default' },
      },
      now,
    );
  });
}

export async function listPolicyVersions(db: Db): Promise<Omit<PolicyVersion, 'document'>[]> {
  await currentPolicy(db);
  return db
    .selectFrom('sop_policies')
    .select(['version', 'note', 'created_by', 'created_at'])
    .orderBy('version', 'desc')
    .execute();
}

export async function policyVersion(db: Db, version: number): Promise<PolicyVersion | undefined> {
  const row = await db
    .selectFrom('sop_policies')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? { ...row, document: row.document as SopPolicy } : undefined;
}

/** Saves a new version of the policy. The document is validated whole; nothing partial is kept. */
export async function savePolicy(
  db: Db,
  actor: Actor | SystemActor,
  document: unknown,
  note: string | null,
  now: Date,
): Promise<PolicyVersion> {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), detail: i.message }));
    throw invalid(`the policy is not valid: ${issues[0]!.pointer || '/'}: ${issues[0]!.detail}`, issues);
  }
  await currentPolicy(db);
  const saved = await transact(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${0x7a_70_15_03})`.execute(trx);
    const last = await trx
      .selectFrom('sop_policies')
      .select('version')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const version = last.version + 1;
    const row = { version, document: parsed.data, note, created_by: actor.id, created_at: now };
    await trx
      .insertInto('sop_policies')
      .values({ ...row, document: JSON.stringify(parsed.data) })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'policy.version_created',
        objectType: 'sop_policy',
        objectId: String(version),
        change: { version, note, document: parsed.data },
      },
      now,
    );
    return row;
  });
  cache.delete(db);
  return saved;
}
