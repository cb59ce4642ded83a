import { appendAudit } from "../audit/log.js";
import { conflict, notFound } from "../core/errors.js";
import { transact } from "../store/transact.js";
const alertQuery = (db) => db
    .selectFrom('alerts')
    .leftJoin('organisations', 'organisations.id', 'alerts.org_id')
    .select([
    'alerts.id',
    'alerts.kind',
    'alerts.org_id',
    'organisations.slug as org_slug',
    'alerts.data',
    'alerts.created_at',
    'alerts.acknowledged_by',
    'alerts.acknowledged_at',
]);
export async function listAlerts(db, filter) {
    let query = alertQuery(db);
    if (filter.state === 'open')
        query = query.where('alerts.acknowledged_at', 'is', null);
    if (filter.state === 'acknowledged')
        query = query.where('alerts.acknowledged_at', 'is not', null);
    if (filter.kind)
        query = query.where('alerts.kind', '=', filter.kind);
    if (filter.org_id)
        query = query.where('alerts.org_id', '=', filter.org_id);
    const rows = await query
        .orderBy('alerts.created_at', 'desc')
        .orderBy('alerts.id', 'desc')
        .limit(filter.limit)
        .execute();
    return rows.map(toView);
}
/**
 * The audit entry comes first: raising an alert happens under the audit chain's lock
 * (src/flaggers/precision-review.ts), so taking it before the alert's row keeps one order
 * of locks everywhere.
 */
export async function acknowledgeAlert(db, actor, id, now) {
    return transact(db, async (trx) => {
        const alert = await trx
            .selectFrom('alerts')
            .select(['id', 'kind', 'org_id'])
            .where('id', '=', id)
            .executeTakeFirst();
        if (!alert)
            throw notFound(`no alert ${id}`);
        await appendAudit(trx, actor, {
            action: 'alert.acknowledged',
            objectType: 'alert',
            objectId: id,
            change: { kind: alert.kind, org_id: alert.org_id, acknowledged_at: now },
        }, now);
        const updated = await trx
            .updateTable('alerts')
            .set({ acknowledged_by: actor.id, acknowledged_at: now })
            .where('id', '=', id)
            .where('acknowledged_at', 'is', null)
            .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
            throw conflict('the alert was already acknowledged');
        return toView(await alertQuery(trx).where('alerts.id', '=', id).executeTakeFirstOrThrow());
    });
}
function toView(row) {
    return {
        ...row,
        created_at: new Date(row.created_at),
        acknowledged_at: row.acknowledged_at === null ? null : new Date(row.acknowledged_at),
    };
}
