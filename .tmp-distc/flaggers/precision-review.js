import { sql } from 'kysely';
import { appendAudit } from "../audit/log.js";
import { newId } from "../core/ids.js";
import { judgedTargets } from "./judged-targets.js";
import { figureOf, inPeriod, isBelowThreshold, WINDOW_DAYS, windowStart, } from "./precision.js";
/**
 * DSA Art. 22(6): a flagger whose notices are too often unfounded is brought to a lead's
 * attention. The review looks at the rolling 90-day figure; when it is first found below
 * the threshold (on enough decided notices), an alert is raised: one open alert per
 * flagger. While the figure stays below, no new alert; once it has recovered and falls
 * again, a new one. It runs after each decision that touches a flagger's notices (in
 * that decision's transaction) and hourly, so that nothing is missed.
 */
export const PRECISION_ALERT = 'flagger_precision_low';
export const precisionActor = { type: 'system', id: 'flagger-precision' };
export function precisionSettings(config) {
    return {
        threshold: config.TAPIS_FLAGGER_PRECISION_THRESHOLD,
        minDecided: config.TAPIS_FLAGGER_MIN_DECIDED,
    };
}
/**
 * Reviews the flaggers among `orgIds` (platform organisations and unknown ids are
 * skipped). Call it in the transaction that decided a case, with the notices' org ids.
 */
export async function reviewFlaggerPrecision(trx, orgIds, settings, now) {
    if (orgIds.length === 0)
        return [];
    const flaggers = await trx
        .selectFrom('organisations')
        .select(['id', 'slug'])
        .where('id', 'in', [...new Set(orgIds)])
        .where('flagger_status', 'is not', null)
        .orderBy('id')
        .execute();
    if (flaggers.length === 0)
        return [];
    const from = windowStart(now);
    const rows = await judgedTargets(trx, { orgIds: flaggers.map((f) => f.id), decidedSince: from });
    const reviews = [];
    for (const org of flaggers) {
        const figure = figureOf(rows.filter((r) => r.org_id === org.id && inPeriod(r, from, now)));
        reviews.push(await record(trx, org, figure, settings, now));
    }
    return reviews;
}
/**
 * Locks: a decision calls this holding the audit chain's lock (its case event was audited
 * first), and acknowledging an alert takes it too. So every write here — the flagger's
 * state and its alert — comes after an audit entry, under that one lock, and nothing is
 * locked before it: a review and a decision never wait on each other in a cycle. Reads
 * before the lock decide whether there is anything to write; under the lock the state is
 * read again, as another review may have written it meanwhile.
 */
async function record(trx, org, figure, settings, now) {
    const below = isBelowThreshold(figure, settings);
    const review = { org_id: org.id, figure, below, alert_id: null };
    const wasBelow = (await belowSince(trx, org.id)) !== null;
    if (below === wasBelow)
        return review;
    const data = {
        slug: org.slug,
        window_days: WINDOW_DAYS,
        threshold: settings.threshold,
        min_decided: settings.minDecided,
        figure,
    };
    const action = below ? 'flagger.precision_below_threshold' : 'flagger.precision_recovered';
    await appendAudit(trx, precisionActor, { action, objectType: 'organisation', objectId: org.id, change: data }, now);
    if (((await belowSince(trx, org.id)) !== null) === below)
        return review;
    await trx
        .insertInto('flagger_precision_state')
        .values({
        org_id: org.id,
        below_since: below ? now : null,
        figure: JSON.stringify(figure),
        changed_at: now,
    })
        .onConflict((oc) => oc
        .column('org_id')
        .doUpdateSet({ below_since: below ? now : null, figure: JSON.stringify(figure), changed_at: now }))
        .execute();
    if (below)
        review.alert_id = await raiseAlert(trx, org.id, data, now);
    return review;
}
async function belowSince(trx, orgId) {
    const state = await trx
        .selectFrom('flagger_precision_state')
        .select('below_since')
        .where('org_id', '=', orgId)
        .executeTakeFirst();
    return state?.below_since ?? null;
}
async function raiseAlert(trx, orgId, data, now) {
    const id = newId();
    // One open alert per flagger (the unique index alerts_open_kind): an open one stands.
    const inserted = await sql `
    insert into alerts (id, kind, org_id, data, created_at)
    values (${id}, ${PRECISION_ALERT}, ${orgId}, ${JSON.stringify(data)}::jsonb, ${now})
    on conflict (kind, org_id) where acknowledged_at is null do nothing
    returning id`.execute(trx);
    return inserted.rows.length > 0 ? id : null;
}
/** The hourly pass: every flagger, each in a transaction of its own. Returns the alerts raised. */
export async function reviewAllFlaggers(db, settings, now) {
    const flaggers = await db
        .selectFrom('organisations')
        .select('id')
        .where('flagger_status', 'is not', null)
        .execute();
    let raised = 0;
    for (const { id } of flaggers) {
        const [review] = await db
            .transaction()
            .execute((trx) => reviewFlaggerPrecision(trx, [id], settings, now));
        if (review?.alert_id)
            raised += 1;
    }
    return raised;
}
