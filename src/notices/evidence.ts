import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { appendAudit } from '../audit/log.ts';
import { DomainError, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import { storeBlob } from '../preservation/blobs.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { recordReveal } from '../welfare/reveals.ts';
import { loadNotice } from './notice-view.ts';

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

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface CheckedFile extends UploadedFile {
  contentType: string;
  sha256: string;
  md5: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Sniffs and hashes a file, or says why it is refused. */
export async function checkFile(file: UploadedFile, index = 0): Promise<CheckedFile> {
  if (file.data.length === 0)
    throw invalid(`evidence[${index}] (${file.filename}) is empty`, [
      { pointer: `/evidence/${index}`, detail: 'empty file' },
    ]);
  if (file.data.length > MAX_EVIDENCE_BYTES) {
    throw new DomainError('too_large', `evidence[${index}] (${file.filename}) is larger than 20 MiB`);
  }
  const sniffed = await fileTypeFromBuffer(file.data);
  let contentType = sniffed?.mime;
  if (!sniffed && isPlainText(file.data)) contentType = 'text/plain; charset=utf-8';
  if (!contentType || !(allowed.has(contentType) || contentType.startsWith('text/plain'))) {
    throw new DomainError(
      'unsupported_media_type',
      `evidence[${index}] (${file.filename}) is ${contentType ?? 'of an unknown type'}; send PNG, JPEG, GIF, WebP, PDF, MP4, WebM, MP3, Ogg or plain UTF-8 text`,
    );
  }
  return {
    ...file,
    filename: withExtension(safeFilename(file.filename), sniffed?.ext ?? 'txt'),
    contentType,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    md5: createHash('md5').update(file.data).digest('hex'),
  };
}

function isPlainText(data: Buffer): boolean {
  try {
    const text = utf8.decode(data);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks binary data.
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text) && !/<\s*(html|script|svg)/i.test(text);
  } catch {
    return false;
  }
}

/** A name that is safe to echo in a Content-Disposition header and a listing. */
function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'evidence';
  const clean = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose.
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.slice(0, 200) || 'evidence';
}

/**
 * The name ends in the extension of what the file is, not of what its sender called it: a
 * PNG that also parses as HTML (a polyglot) named `x.html` is kept as `x.png`, so that
 * nobody who downloads it opens it in a browser as a page.
 */
function withExtension(name: string, ext: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (current === ext || (ext === 'jpg' && current === 'jpeg')) return name;
  return `${stem.slice(0, 190)}.${ext}`;
}

export interface EvidenceView {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  md5: string;
  uploaded_at: Date;
}

/** Stores checked files as evidence of a notice, in one transaction. */
export async function storeEvidence(
  db: Db,
  actor: Actor,
  noticeId: string,
  files: CheckedFile[],
  now: Date,
): Promise<EvidenceView[]> {
  const notice = await loadNotice(db, actor, noticeId);
  return transact(db, async (trx) => {
    const views: EvidenceView[] = [];
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
      await appendAudit(
        trx,
        actor,
        {
          action: 'evidence.uploaded',
          objectType: 'notice',
          objectId: noticeId,
          change: {
            evidence_id: view.id,
            sha256: file.sha256,
            size: view.size,
            content_type: view.content_type,
          },
        },
        now,
      );
      views.push(view);
    }
    return views;
  });
}

/**
 * Reads a piece of evidence. Platform staff opening evidence is a reveal of possibly
 * graphic content: it is audited (MR5: officials' access is audited; reviewer welfare).
 */
export async function readEvidence(
  db: Db,
  actor: Actor,
  noticeId: string,
  evidenceId: string,
  exposureLimit: number,
  now: Date,
) {
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
  if (!row) throw notFound(`no evidence ${evidenceId} on this notice`);
  if (row.purged_at || !row.data)
    throw notFound(
      `evidence ${evidenceId} was purged on ${row.purged_at?.toISOString() ?? 'an earlier date'} after its preservation period`,
    );
  if (seesAllOrganisations(actor) && actor.orgKind === 'platform') {
    await transact(db, async (trx) => {
      // Reviewer welfare: the reveal is counted against the day's exposure limit first, so a
      // refused download leaves no reveal in the audit log.
      await recordReveal(
        trx,
        actor,
        { objectType: 'evidence', objectId: evidenceId, caseId: null, contentType: row.content_type },
        exposureLimit,
        now,
      );
      await appendAudit(
        trx,
        actor,
        {
          action: 'evidence.revealed',
          objectType: 'notice',
          objectId: noticeId,
          change: { evidence_id: evidenceId, sha256: row.sha256 },
        },
        now,
      );
    });
  }
  return { ...row, data: Buffer.from(row.data) };
}
