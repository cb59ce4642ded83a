import { sql } from 'kysely';
import { appendAudit } from "../audit/log.js";
import { invalid, toPointer } from "../core/errors.js";
import { transact } from "../store/transact.js";
import { defaultPolicy, policySchema } from "./sop-policy.js";
const CACHE_MS = 5_000;
const cache = new WeakMap();
export async function currentPolicy(db) {
    const hit = cache.get(db);
    if (hit && Date.now() - hit.at < CACHE_MS)
        return hit.policy;
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
    const policy = { ...row, document: row.document };
    cache.set(db, { at: Date.now(), policy });
    return policy;
}
async function installDefaultPolicy(db) {
    await transact(db, async (trx) => {
        await sql `select pg_advisory_xact_lock(${0x7a_70_15_03})`.execute(trx);
        const any = await trx.selectFrom('sop_policies').select('version').executeTakeFirst();
        if (any)
            return;
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
        await appendAudit(trx, { type: 'system', id: 'policy-default' }, {
            action: 'policy.version_created',
            objectType: 'sop_policy',
            objectId: '1',
            change: { version: 1, note: 'default' },
        }, now);
    });
}
export async function listPolicyVersions(db) {
    await currentPolicy(db);
    return db
        .selectFrom('sop_policies')
        .select(['version', 'note', 'created_by', 'created_at'])
        .orderBy('version', 'desc')
        .execute();
}
export async function policyVersion(db, version) {
    const row = await db
        .selectFrom('sop_policies')
        .selectAll()
        .where('version', '=', version)
        .executeTakeFirst();
    return row ? { ...row, document: row.document } : undefined;
}
/** Saves a new version of the policy. The document is validated whole; nothing partial is kept. */
export async function savePolicy(db, actor, document, note, now) {
    const parsed = policySchema.safeParse(document);
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), detail: i.message }));
        throw invalid(`the policy is not valid: ${issues[0].pointer || '/'}: ${issues[0].detail}`, issues);
    }
    await currentPolicy(db);
    const saved = await transact(db, async (trx) => {
        await sql `select pg_advisory_xact_lock(${0x7a_70_15_03})`.execute(trx);
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
        await appendAudit(trx, actor, {
            action: 'policy.version_created',
            objectType: 'sop_policy',
            objectId: String(version),
            change: { version, note, document: parsed.data },
        }, now);
        return row;
    });
    cache.delete(db);
    return saved;
}
