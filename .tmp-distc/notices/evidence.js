import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { appendAudit } from "../audit/log.js";
import { DomainError, invalid, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { seesAllOrganisations } from "../identity/actor.js";
import { storeBlob } from "../preservation/blobs.js";
import { transact } from "../store/transact.js";
import { recordReveal } from "../welfare/reveals.js";
import { loadNotice } from "./notice-view.js";
/**
 * Evidence: screenshots, PDFs, the official letter. Stored with its SHA-256 (and MD5, the
 * other hash platforms exchange), its type decided by sniffing the bytes, never by the
 * name or the declared type, and never executed or rendered by the server: it is served
 * back only as a download.
 */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
/** What may be uploaded, by sniffed type. Formats that can carry script (HTML, SVG) are refused. */
const allowed = new Set([
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'application/pdf',
    'video/mp4',
    'video/webm',
    'audio/mpeg',
    'audio/ogg',
]);
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Sniffs and hashes a file, or says why it is refused. */
export async function checkFile(file, index = 0) {
    if (file.data.length === 0)
        throw invalid(`evidence[${index}] (${file.filename}) is empty`, [
            { pointer: `/evidence/${index}`, detail: 'empty file' },
        ]);
    if (file.data.length > MAX_EVIDENCE_BYTES) {
        throw new DomainError('too_large', `evidence[${index}] (${file.filename}) is larger than 20 MiB`);
    }
    const sniffed = await fileTypeFromBuffer(file.data);
    let contentType = sniffed?.mime;
    if (!sniffed && isPlainText(file.data))
        contentType = 'text/plain; charset=utf-8';
    if (!contentType || !(allowed.has(contentType) || contentType.startsWith('text/plain'))) {
        throw new DomainError('unsupported_media_type', `evidence[${index}] (${file.filename}) is ${contentType ?? 'of an unknown type'}; send PNG, JPEG, GIF, WebP, PDF, MP4, WebM, MP3, Ogg or plain UTF-8 text`);
    }
    return {
        ...file,
        filename: safeFilename(file.filename),
        contentType,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        md5: createHash('md5').update(file.data).digest('hex'),
    };
}
function isPlainText(data) {
    try {
        const text = utf8.decode(data);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks binary data.
        return !/[\u0000-\u0008\u000e-\u001f]/.test(text) && !/<\s*(html|script|svg)/i.test(text);
    }
    catch {
        return false;
    }
}
/** A name that is safe to echo in a Content-Disposition header and a listing. */
function safeFilename(name) {
    const base = name.split(/[\\/]/).pop() ?? 'evidence';
    const clean = base
        .normalize('NFC')
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose.
        .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_')
        .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
    return clean.slice(0, 200) || 'evidence';
}
/** Stores checked files as evidence of a notice, in one transaction. */
export async function storeEvidence(db, actor, noticeId, files, now) {
    const notice = await loadNotice(db, actor, noticeId);
    return transact(db, async (trx) => {
        const views = [];
        for (const file of files) {
            // Content-addressed: the same file uploaded twice is stored once.
            await storeBlob(trx, file.sha256, file.data);
            const view = {
                id: newId(),
                filename: file.filename,
                content_type: file.contentType,
                size: file.data.length,
                sha256: file.sha256,
                md5: file.md5,
                uploaded_at: now,
            };
            await trx
                .insertInto('evidence')
                .values({ ...view, notice_id: noticeId, org_id: notice.org_id, uploaded_by: actor.id })
                .execute();
            await appendAudit(trx, actor, {
                action: 'evidence.uploaded',
                objectType: 'notice',
                objectId: noticeId,
                change: {
                    evidence_id: view.id,
                    sha256: file.sha256,
                    size: view.size,
                    content_type: view.content_type,
                },
            }, now);
            views.push(view);
        }
        return views;
    });
}
/**
 * Reads a piece of evidence. Platform staff opening evidence is a reveal of possibly
 * graphic content: it is audited (MR5: officials' access is audited; reviewer welfare).
 */
export async function readEvidence(db, actor, noticeId, evidenceId, exposureLimit, now) {
    await loadNotice(db, actor, noticeId);
    const row = await db
        .selectFrom('evidence')
        .leftJoin('blobs', 'blobs.sha256', 'evidence.sha256')
        .select([
        'evidence.id',
        'evidence.filename',
        'evidence.content_type',
        'evidence.size',
        'evidence.sha256',
        'evidence.purged_at',
        'blobs.data',
    ])
        .where('evidence.id', '=', evidenceId)
        .where('evidence.notice_id', '=', noticeId)
        .executeTakeFirst();
    if (!row)
        throw notFound(`no evidence ${evidenceId} on this notice`);
    if (row.purged_at || !row.data)
        throw notFound(`evidence ${evidenceId} was purged on ${row.purged_at?.toISOString() ?? 'an earlier date'} after its preservation period`);
    if (seesAllOrganisations(actor) && actor.orgKind === 'platform') {
        await transact(db, async (trx) => {
            // Reviewer welfare: the reveal is counted against the day's exposure limit first, so a
            // refused download leaves no reveal in the audit log.
            await recordReveal(trx, actor, { objectType: 'evidence', objectId: evidenceId, caseId: null, contentType: row.content_type }, exposureLimit, now);
            await appendAudit(trx, actor, {
                action: 'evidence.revealed',
                objectType: 'notice',
                objectId: noticeId,
                change: { evidence_id: evidenceId, sha256: row.sha256 },
            }, now);
        });
    }
    return { ...row, data: Buffer.from(row.data) };
}
