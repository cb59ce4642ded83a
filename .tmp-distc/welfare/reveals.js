import { sql } from 'kysely';
import { lockCase, recordCaseEvent } from "../cases/case-events.js";
import { DomainError, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transact } from "../store/transact.js";
import { countsAsExposure, exposureOf, refusesReveal, secondsToNextDay, utcDay, } from "./exposure.js";
/** Reviewers are people of the platform; an API key or a notifier's analyst is not counted. */
function isReviewer(actor) {
    return actor.type === 'user' && actor.orgKind === 'platform';
}
/**
 * Records a reveal and returns the reviewer's exposure today; refuses (429, Retry-After to
 * the next UTC day) a new media item past the limit. Returns null for callers that are not
 * reviewers. Runs in the caller's transaction, or in one of its own.
 *
 * Lock order, to stay clear of deadlocks: a caller that locks the case does so before this.
 */
export async function recordReveal(db, actor, reveal, limit, now) {
    if (!isReviewer(actor))
        return null;
    const run = async (trx) => {
        // One reviewer's reveals are counted one at a time: two at once cannot both pass the limit.
        await sql `select pg_advisory_xact_lock(hashtextextended(${`tapis.exposure:${actor.id}`}, 0))`.execute(trx);
        const day = utcDay(now);
        const counted = countsAsExposure(reveal.contentType);
        const { rows } = await sql `
      select count(distinct object_type || ':' || object_id) as count,
             bool_or(object_type = ${reveal.objectType} and object_id = ${reveal.objectId}) as seen
        from reveals where reviewer_id = ${actor.id} and day = ${day} and counted`.execute(trx);
        const count = Number(rows[0]?.count ?? 0);
        const seen = rows[0]?.seen === true;
        if (refusesReveal(count, seen, counted, limit))
            throw exposureLimitReached(count, limit, now);
        await trx
            .insertInto('reveals')
            .values({
            id: newId(),
            reviewer_id: actor.id,
            case_id: reveal.caseId,
            object_type: reveal.objectType,
            object_id: reveal.objectId,
            day,
            at: now,
            content_type: reveal.contentType,
            counted,
        })
            .execute();
        return exposureOf(counted && !seen ? count + 1 : count, limit, now);
    };
    return db.isTransaction ? run(db) : transact(db, run);
}
function exposureLimitReached(count, limit, now) {
    const exposure = exposureOf(count, limit, now);
    return new DomainError('rate_limited', `you have revealed ${count} media items today, the daily limit; take a break. New media can be revealed again from ${exposure.resets_at.toISOString()} (the next UTC day), and a lead can hand your cases to another reviewer meanwhile`, {
        extra: { retry_after: secondsToNextDay(now), ...exposure, resets_at: exposure.resets_at.toISOString() },
    });
}
/**
 * The console's "reveal" button: the item (evidence of one of the case's notices, or content
 * preserved for the case) is shown unblurred. Recorded as a reveal and as a
 * `content_revealed` case event, which the audit chain carries.
 */
export async function revealInCase(db, actor, caseId, object, limit, now) {
    return transact(db, async (trx) => {
        const current = await lockCase(trx, caseId);
        const found = await findInCase(trx, caseId, object);
        const exposure = await recordReveal(trx, actor, { objectType: object.type, objectId: object.id, caseId, contentType: found.content_type }, limit, now);
        await recordCaseEvent(trx, current, actor, { type: 'content_revealed', data: { ...found, counted: countsAsExposure(found.content_type) } }, now);
        return { object: found, exposure };
    });
}
async function findInCase(trx, caseId, object) {
    const row = object.type === 'evidence'
        ? await trx
            .selectFrom('evidence')
            .select(['content_type', 'sha256', 'purged_at'])
            .where('id', '=', object.id)
            .where('notice_id', 'in', (eb) => eb.selectFrom('notice_targets').select('notice_id').where('case_id', '=', caseId))
            .executeTakeFirst()
        : await trx
            .selectFrom('preserved_content')
            .select(['content_type', 'sha256', 'purged_at'])
            .where('id', '=', object.id)
            .where('case_id', '=', caseId)
            .executeTakeFirst();
    const label = object.type.replace('_', ' ');
    if (!row)
        throw notFound(`no ${label} ${object.id} in case ${caseId}`);
    if (row.purged_at)
        throw notFound(`${label} ${object.id} was purged on ${row.purged_at.toISOString()} after its preservation period; only its hashes remain`);
    return {
        object_type: object.type,
        object_id: object.id,
        content_type: row.content_type,
        sha256: row.sha256,
    };
}
