import { appendAudit } from "../audit/log.js";
import { lockCase, recordCaseEvent } from "../cases/case-events.js";
import { conflict, notFound } from "../core/errors.js";
import { APPLY_TOPIC, REVERT_TOPIC } from "../enforcement/jobs.js";
import { enqueue } from "../outbox/outbox.js";
import { transact } from "../store/transact.js";
/** A lead sends a failed action back to its connector, e.g. once the bot was given its rights. */
export async function retryAction(db, actor, actionId, now) {
    await transact(db, async (trx) => {
        const action = await trx
            .selectFrom('enforcement_actions')
            .selectAll()
            .where('id', '=', actionId)
            .forUpdate()
            .executeTakeFirst();
        if (!action)
            throw notFound(`no action ${actionId}`);
        if (action.status !== 'failed' && action.status !== 'revert_failed')
            throw conflict(`the action is ${action.status}; only a failed action can be retried`);
        const reverting = action.status === 'revert_failed';
        await trx
            .updateTable('enforcement_actions')
            .set({ status: reverting ? 'revert_pending' : 'pending', last_error: null })
            .where('id', '=', actionId)
            .execute();
        await enqueue(trx, {
            topic: reverting ? REVERT_TOPIC : APPLY_TOPIC,
            orderingKey: `action:${actionId}`,
            payload: { action_id: actionId },
        }, now);
        const current = await lockCase(trx, action.case_id);
        if (current.status === 'action_failed')
            await recordCaseEvent(trx, current, actor, { type: 'action_retried', data: { action_id: actionId } }, now);
        else
            await appendAudit(trx, actor, { action: 'enforcement.retried', objectType: 'enforcement_action', objectId: actionId, change: {} }, now);
    });
}
