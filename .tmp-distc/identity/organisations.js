import { appendAudit } from "../audit/log.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transact } from "../store/transact.js";
export async function createOrganisation(db, actor, input, now) {
    // Trusted status is a designation: without the designating authority it is not given.
    // (Through the API an organisation starts regular; POST /v1/flaggers/{slug}/status decides.)
    if (input.flagger_status === 'trusted' && !input.designated_by?.trim())
        throw invalid('a trusted flagger needs the authority that designated it (DSA Art. 22(2))', [
            { pointer: '/designated_by', detail: 'required when flagger_status is trusted' },
        ]);
    const org = {
        id: newId(),
        slug: input.slug,
        name: input.name,
        kind: input.kind,
        // Flagger organisations start as regular notifiers; trusted status is a decision (DSA Art. 22).
        flagger_status: input.kind === 'platform' ? null : (input.flagger_status ?? 'regular'),
        contact_email: input.contact_email ?? null,
        designated_categories: [],
        designated_jurisdictions: [],
        rate_limit_per_minute: null,
        designated_by: input.flagger_status === 'trusted' ? input.designated_by.trim() : null,
        status_since: input.kind === 'platform' ? null : now,
        suspended_until: null,
        created_at: now,
    };
    return transact(db, async (trx) => {
        const existing = await trx
            .selectFrom('organisations')
            .select('id')
            .where('slug', '=', input.slug)
            .executeTakeFirst();
        if (existing)
            throw conflict(`an organisation with slug '${input.slug}' already exists`);
        await trx.insertInto('organisations').values(org).execute();
        await appendAudit(trx, actor, { action: 'organisation.created', objectType: 'organisation', objectId: org.id, change: org }, now);
        return org;
    });
}
export async function findOrganisation(db, slug) {
    const org = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!org)
        throw notFound(`no organisation with slug '${slug}'`);
    return org;
}
export async function listOrganisations(db) {
    return db.selectFrom('organisations').selectAll().orderBy('slug').execute();
}
/**
 * Platform admins manage every organisation; a flagger_admin manages its own. The CLI
 * runs as the system, with the database in hand.
 */
export function assertManages(actor, orgId) {
    if (actor.type === 'system')
        return;
    if (actor.orgKind === 'platform' && actor.roles.includes('admin'))
        return;
    if (actor.orgId === orgId && actor.roles.includes('flagger_admin'))
        return;
    throw forbidden('you may manage only your own organisation');
}
