import { appendAudit } from "../audit/log.js";
import { DomainError, invalid } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { currentPolicy } from "../policy/policy-store.js";
import { transact } from "../store/transact.js";
import { findFlagger, flaggerFacts } from "./flagger-records.js";
import { planStatusChange } from "./status.js";
export async function changeFlaggerStatus(db, actor, slug, input, now) {
    const taxonomy = (await currentPolicy(db)).document.taxonomy.map((c) => c.code);
    const unknown = (input.designated_categories ?? []).findIndex((c) => !taxonomy.includes(c));
    if (unknown >= 0) {
        throw invalid(`designated_categories[${unknown}]: '${input.designated_categories[unknown]}' is not in the taxonomy: ${taxonomy.join(', ')}`, [{ pointer: `/designated_categories/${unknown}`, detail: 'not in the taxonomy' }]);
    }
    return transact(db, async (trx) => {
        const org = await findFlagger(trx, slug, { forUpdate: true });
        const planned = planStatusChange(await flaggerFacts(trx, org), input, now);
        if (planned instanceof DomainError)
            throw planned;
        return applyStatus(trx, actor, org, planned, input.reasons, now);
    });
}
/** Writes a planned status, its record and its audit entry, in the caller's transaction. */
export async function applyStatus(trx, actor, org, planned, reasons, now) {
    const change = {
        id: newId(),
        org_id: org.id,
        from_status: planned.from,
        to_status: planned.to,
        reasons,
        decided_by: actor.id,
        effective_at: now,
        until: planned.suspended_until,
    };
    await trx.insertInto('flagger_status_changes').values(change).execute();
    await trx
        .updateTable('organisations')
        .set({
        flagger_status: planned.to,
        status_since: now,
        designated_by: planned.designated_by,
        designated_categories: planned.designated_categories,
        designated_jurisdictions: planned.designated_jurisdictions,
        suspended_until: planned.suspended_until,
    })
        .where('id', '=', org.id)
        .execute();
    await appendAudit(trx, actor, {
        action: 'flagger.status_changed',
        objectType: 'organisation',
        objectId: org.id,
        change: {
            ...change,
            slug: org.slug,
            designated_by: planned.designated_by,
            designated_categories: planned.designated_categories,
            designated_jurisdictions: planned.designated_jurisdictions,
        },
    }, now);
    return change;
}
