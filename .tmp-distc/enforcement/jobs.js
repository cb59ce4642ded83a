import { newId } from "../core/ids.js";
import { enqueue } from "../outbox/outbox.js";
/**
 * Enforcement actions are jobs: a row each (pending → applied | failed → reverted) and an
 * outbox message, written in the decision's transaction. The action id is the idempotency
 * key the connector is called with on every attempt, so a retried job never acts twice.
 */
export const APPLY_TOPIC = 'enforcement.apply';
export const REVERT_TOPIC = 'enforcement.revert';
export async function scheduleActions(trx, decision, actions, now) {
    if (actions.length === 0)
        return [];
    const rows = actions.map((action) => ({
        id: newId(),
        decision_id: decision.id,
        case_id: decision.case_id,
        connector: action.connector,
        type: action.type,
        subject: JSON.stringify(action.subject),
        params: JSON.stringify(action.params),
        revertible: action.revertible,
        status: 'pending',
        created_at: now,
    }));
    await trx.insertInto('enforcement_actions').values(rows).execute();
    await enqueue(trx, rows.map((row) => ({
        topic: APPLY_TOPIC,
        orderingKey: `action:${row.id}`,
        payload: { action_id: row.id },
    })), now);
    return rows.map((r) => r.id);
}
/** Schedules the revert of every applied, revertible action of a decision. Returns how many. */
export async function scheduleReverts(trx, decisionId, now) {
    const applied = await trx
        .selectFrom('enforcement_actions')
        .select('id')
        .where('decision_id', '=', decisionId)
        .where('status', '=', 'applied')
        .where('revertible', '=', true)
        .where('type', '<>', 'deliver_statement')
        .execute();
    if (applied.length === 0)
        return 0;
    await trx
        .updateTable('enforcement_actions')
        .set({ status: 'revert_pending' })
        .where('id', 'in', applied.map((a) => a.id))
        .execute();
    await enqueue(trx, applied.map((a) => ({
        topic: REVERT_TOPIC,
        orderingKey: `action:${a.id}`,
        payload: { action_id: a.id },
    })), now);
    return applied.length;
}
