import { sql } from 'kysely';
import { lockCase, recordCaseEvent } from "../cases/case-events.js";
import { conflict, invalid, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transact } from "../store/transact.js";
import { holdIsActive } from "./retention.js";
const toView = (row, now) => ({ ...row, active: holdIsActive(row, now) });
const columns = [
    'id',
    'case_id',
    'reason',
    'requested_by',
    'placed_by',
    'until',
    'placed_at',
    'released_at',
    'released_by',
    'release_reason',
];
export async function placeHold(db, actor, caseId, input, now) {
    if (input.until && input.until <= now) {
        throw invalid('until must be in the future; leave it out to hold until released', [
            { pointer: '/until', detail: 'in the past' },
        ]);
    }
    return transact(db, async (trx) => {
        const current = await lockCase(trx, caseId);
        const row = {
            id: newId(),
            case_id: caseId,
            reason: input.reason,
            requested_by: input.requested_by,
            placed_by: actor.id,
            until: input.until ?? null,
            placed_at: now,
            released_at: null,
            released_by: null,
            release_reason: null,
        };
        await trx.insertInto('legal_holds').values(row).execute();
        await recordCaseEvent(trx, current, actor, {
            type: 'legal_hold_placed',
            data: { hold_id: row.id, reason: row.reason, requested_by: row.requested_by, until: row.until },
        }, now);
        return toView(row, now);
    });
}
export async function releaseHold(db, actor, holdId, reason, now) {
    return transact(db, async (trx) => {
        const found = await trx
            .selectFrom('legal_holds')
            .select('case_id')
            .where('id', '=', holdId)
            .executeTakeFirst();
        if (!found)
            throw notFound(`no legal hold ${holdId}`);
        // The case first, as every case change does; then the hold, read again under that lock.
        const current = await lockCase(trx, found.case_id);
        const hold = await trx
            .selectFrom('legal_holds')
            .select(columns)
            .where('id', '=', holdId)
            .executeTakeFirstOrThrow();
        if (hold.released_at)
            throw conflict(`this legal hold was released on ${hold.released_at.toISOString()}`);
        const released = await trx
            .updateTable('legal_holds')
            .set({ released_at: now, released_by: actor.id, release_reason: reason ?? null })
            .where('id', '=', holdId)
            .returning(columns)
            .executeTakeFirstOrThrow();
        await recordCaseEvent(trx, current, actor, {
            type: 'legal_hold_released',
            data: { hold_id: holdId, requested_by: hold.requested_by, reason: reason ?? null },
        }, now);
        return toView(released, now);
    });
}
export async function listHolds(db, caseId, now) {
    const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    if (!exists)
        throw notFound(`no case ${caseId}`);
    const rows = await db
        .selectFrom('legal_holds')
        .select(columns)
        .where('case_id', '=', caseId)
        .orderBy('placed_at')
        .execute();
    return rows.map((row) => toView(row, now));
}
/** The cases among `caseIds` under an active hold. */
export async function activeHoldCases(trx, caseIds, now) {
    if (caseIds.length === 0)
        return new Set();
    const rows = await trx
        .selectFrom('legal_holds')
        .select('case_id')
        .where('case_id', 'in', caseIds)
        .where('released_at', 'is', null)
        .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
        .execute();
    return new Set(rows.map((r) => r.case_id));
}
/** SQL: whether the case `caseRef` names is under an active hold (the same rule as holdIsActive). */
export function heldCaseSql(caseRef, now) {
    return sql `exists (select 1 from legal_holds h where h.case_id = ${sql.ref(caseRef)}
    and h.released_at is null and (h.until is null or h.until > ${now}))`;
}
