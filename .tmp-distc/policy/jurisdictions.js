import { appendAudit } from "../audit/log.js";
import { notFound } from "../core/errors.js";
import { transact } from "../store/transact.js";
import { currentPolicy } from "./policy-store.js";
export async function publicJurisdiction(db, code) {
    const row = await db.selectFrom('jurisdictions').selectAll().where('code', '=', code).executeTakeFirst();
    if (!row)
        throw notFound(`no record for jurisdiction ${code}`);
    const policy = await currentPolicy(db);
    const deadlines = policy.document.rules
        .filter((r) => r.jurisdiction === code || r.jurisdiction === '*')
        .map((r) => ({
        applies_to: { jurisdiction: r.jurisdiction, category: r.category, source_type: r.source_type },
        legal_deadline_hours: r.legal_deadline_hours,
        internal_target_hours: r.internal_target_hours ?? null,
        note: r.note ?? null,
    }));
    const { escalation_roster: _, ...record } = row;
    return { ...record, policy_version: policy.version, deadlines };
}
export async function listJurisdictions(db) {
    return db
        .selectFrom('jurisdictions')
        .select(['code', 'name', 'languages', 'time_zone'])
        .orderBy('code')
        .execute();
}
export async function saveJurisdiction(db, actor, code, input, now) {
    const row = {
        code,
        name: input.name,
        legal_representative: JSON.stringify(input.legal_representative),
        contact_point: JSON.stringify(input.contact_point),
        languages: input.languages,
        time_zone: input.time_zone,
        escalation_roster: JSON.stringify(input.escalation_roster ?? []),
        updated_at: now,
    };
    await transact(db, async (trx) => {
        await trx
            .insertInto('jurisdictions')
            .values(row)
            .onConflict((oc) => oc.column('code').doUpdateSet({ ...row }))
            .execute();
        await appendAudit(trx, actor, { action: 'jurisdiction.saved', objectType: 'jurisdiction', objectId: code, change: input }, now);
    });
}
