import { notFound } from "../core/errors.js";
import { isFlaggerStatus } from "./status.js";
export async function findFlagger(db, slug, options = {}) {
    let query = db.selectFrom('organisations').selectAll().where('slug', '=', slug);
    if (options.forUpdate)
        query = query.forUpdate();
    const org = await query.executeTakeFirst();
    if (!org || !isFlaggerStatus(org.flagger_status))
        throw notFound(`no flagger organisation with slug '${slug}'`);
    return org;
}
export async function listFlaggers(db) {
    const orgs = await db
        .selectFrom('organisations')
        .selectAll()
        .where('flagger_status', 'is not', null)
        .orderBy('slug')
        .execute();
    return orgs.filter((o) => isFlaggerStatus(o.flagger_status));
}
export async function statusHistory(db, orgId) {
    const rows = await db
        .selectFrom('flagger_status_changes')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('effective_at')
        .orderBy('id')
        .execute();
    return rows.map((r) => ({
        ...r,
        effective_at: new Date(r.effective_at),
        until: r.until === null ? null : new Date(r.until),
    }));
}
export async function warningsOf(db, orgId) {
    const rows = await db
        .selectFrom('flagger_warnings')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('at')
        .orderBy('id')
        .execute();
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}
/** What the status rules (src/flaggers/status.ts) need to know of a flagger. */
export async function flaggerFacts(db, org) {
    const [warning, suspension] = await Promise.all([
        db
            .selectFrom('flagger_warnings')
            .select('at')
            .where('org_id', '=', org.id)
            .orderBy('at', 'desc')
            .limit(1)
            .executeTakeFirst(),
        db
            .selectFrom('flagger_status_changes')
            .select('effective_at')
            .where('org_id', '=', org.id)
            .where('to_status', '=', 'suspended')
            .where((eb) => eb.or([eb('from_status', 'is', null), eb('from_status', '!=', 'suspended')]))
            .orderBy('effective_at', 'desc')
            .limit(1)
            .executeTakeFirst(),
    ]);
    return {
        flagger_status: org.flagger_status,
        designated_by: org.designated_by,
        designated_categories: org.designated_categories,
        designated_jurisdictions: org.designated_jurisdictions,
        suspended_until: org.suspended_until === null ? null : new Date(org.suspended_until),
        last_warning_at: warning ? new Date(warning.at) : null,
        last_suspension_at: suspension ? new Date(suspension.effective_at) : null,
    };
}
