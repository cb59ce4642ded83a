import { createHash } from 'node:crypto';
import { appendAudit } from "../audit/log.js";
import { conflict, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { hashMediaBytes, simHashToHex, textSha256, textSimHash } from "../screening/index.js";
import { transact } from "../store/transact.js";
import { storeBlob } from "./blobs.js";
import { activeHoldCases } from "./legal-holds.js";
import { toPreservedView } from "./preserved-view.js";
import { preservedUntil } from "./retention.js";
export async function depositContent(db, actor, caseId, deposit, preservationDays, now) {
    const stored = deposit.kind === 'file' ? await fileContent(deposit.file) : textContent(deposit.text);
    return transact(db, async (trx) => {
        const found = await trx
            .selectFrom('cases')
            .select(['id', 'decided_at'])
            .where('id', '=', caseId)
            .executeTakeFirst();
        if (!found)
            throw notFound(`no case ${caseId}`);
        const until = preservedUntil(found.decided_at, now, preservationDays);
        // Past the period, without a hold, there is no ground left to keep anything (TCO Art. 6(1)).
        if (until <= now && !(await activeHoldCases(trx, [caseId], now)).has(caseId)) {
            throw conflict(`the preservation period of this case ended on ${until.toISOString()} and no legal hold keeps it; nothing more is kept for it`, { preserved_until: until.toISOString() });
        }
        await storeBlob(trx, stored.sha256, stored.data);
        const row = await trx
            .insertInto('preserved_content')
            .values({
            id: newId(),
            case_id: caseId,
            kind: deposit.kind,
            description: deposit.description,
            sha256: stored.sha256,
            filename: stored.filename,
            content_type: stored.contentType,
            size: stored.data.length,
            md5: stored.md5,
            hashes: JSON.stringify(stored.hashes),
            deposited_by: actor.id,
            preserved_until: until,
            created_at: now,
        })
            .returningAll()
            .executeTakeFirstOrThrow();
        await appendAudit(trx, actor, {
            action: 'preserved_content.deposited',
            objectType: 'case',
            objectId: caseId,
            change: {
                preserved_content_id: row.id,
                kind: row.kind,
                sha256: row.sha256,
                size: row.size,
                preserved_until: until,
            },
        }, now);
        return toPreservedView(row);
    });
}
async function fileContent(file) {
    const hashes = { sha256: file.sha256, md5: file.md5 };
    if (file.contentType.startsWith('image/')) {
        const media = await hashMediaBytes(file.data);
        if (media.pdq)
            Object.assign(hashes, { pdq: media.pdq, pdq_quality: media.quality });
    }
    return {
        data: file.data,
        sha256: file.sha256,
        md5: file.md5,
        filename: file.filename,
        contentType: file.contentType,
        hashes,
    };
}
function textContent(text) {
    const data = Buffer.from(text, 'utf8');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const md5 = createHash('md5').update(data).digest('hex');
    return {
        data,
        sha256,
        md5,
        filename: null,
        contentType: 'text/plain; charset=utf-8',
        hashes: { sha256, md5, text_sha256: textSha256(text), simhash: simHashToHex(textSimHash(text)) },
    };
}
