import { appendAudit } from "../audit/log.js";
import { conflict, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { TransitionRefused, transition } from "./transitions.js";
/** Reads a case and locks it for the rest of the transaction: its events are serialised. */
export async function lockCase(trx, caseId) {
    const row = await trx
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', caseId)
        .forUpdate()
        .executeTakeFirst();
    if (!row)
        throw notFound(`no case ${caseId}`);
    return row;
}
export async function recordCaseEvent(trx, current, actor, event, now) {
    let to;
    try {
        to = transition(current.status, event.type, event.to);
    }
    catch (error) {
        if (error instanceof TransitionRefused)
            throw conflict(error.message, { case_status: current.status });
        throw error;
    }
    const inserted = await trx
        .insertInto('case_events')
        .values({
        id: newId(),
        case_id: current.id,
        type: event.type,
        from_status: current.status,
        to_status: to,
        actor_type: actor.type,
        actor_id: actor.id,
        data: JSON.stringify(event.data ?? {}),
        at: now,
    })
        .returning('seq')
        .executeTakeFirstOrThrow();
    const updated = await trx
        .updateTable('cases')
        .set({ ...event.set, status: to, last_event_seq: inserted.seq })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
        action: `case.${event.type}`,
        objectType: 'case',
        objectId: current.id,
        change: { from: current.status, to, ...event.data },
    }, now);
    return updated;
}
