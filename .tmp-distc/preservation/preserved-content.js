import { appendAudit } from "../audit/log.js";
import { lockCase, recordCaseEvent } from "../cases/case-events.js";
import { notFound } from "../core/errors.js";
import { transact } from "../store/transact.js";
import { countsAsExposure } from "../welfare/exposure.js";
import { recordReveal } from "../welfare/reveals.js";
import { toPreservedView } from "./preserved-view.js";
/**
 * Reading preserved content. Every access is audited (MR5: access to data is audited;
 * RULEBOOK "Preservation and audit"): a listing of a case's preserved content is an audit
 * entry; opening the bytes is a reveal (counted against the reader's exposure, src/welfare/)
 * and a `content_revealed` case event, which the audit chain carries.
 */
export async function listPreservedContent(db, actor, caseId, now) {
    return transact(db, async (trx) => {
        const found = await trx.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
        if (!found)
            throw notFound(`no case ${caseId}`);
        const rows = await trx
            .selectFrom('preserved_content')
            .selectAll()
            .where('case_id', '=', caseId)
            .orderBy('created_at')
            .execute();
        await appendAudit(trx, actor, {
            action: 'preserved_content.listed',
            objectType: 'case',
            objectId: caseId,
            change: { items: rows.length },
        }, now);
        return rows.map(toPreservedView);
    });
}
export async function readPreservedContent(db, actor, id, exposureLimit, now) {
    return transact(db, async (trx) => {
        const located = await trx
            .selectFrom('preserved_content')
            .select('case_id')
            .where('id', '=', id)
            .executeTakeFirst();
        if (!located)
            throw notFound(`no preserved content ${id}`);
        // Under the case's lock the purge cannot take the bytes between this check and the read.
        const current = await lockCase(trx, located.case_id);
        const row = await trx
            .selectFrom('preserved_content')
            .leftJoin('blobs', 'blobs.sha256', 'preserved_content.sha256')
            .selectAll('preserved_content')
            .select('blobs.data')
            .where('preserved_content.id', '=', id)
            .executeTakeFirstOrThrow();
        if (row.purged_at || !row.data) {
            throw notFound(`preserved content ${id} was purged on ${row.purged_at?.toISOString() ?? 'an earlier date'} after its preservation period; only its hashes remain`);
        }
        const exposure = await recordReveal(trx, actor, { objectType: 'preserved_content', objectId: id, caseId: row.case_id, contentType: row.content_type }, exposureLimit, now);
        await recordCaseEvent(trx, current, actor, {
            type: 'content_revealed',
            data: {
                object_type: 'preserved_content',
                object_id: id,
                sha256: row.sha256,
                content_type: row.content_type,
                counted: countsAsExposure(row.content_type),
                download: true,
            },
        }, now);
        const { data, ...rest } = row;
        return { view: toPreservedView(rest), data: Buffer.from(data), exposure };
    });
}
