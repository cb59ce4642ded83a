import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/log.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import type { CheckedFile } from '../notices/evidence.ts';
import { hashMediaBytes, simHashToHex, textSha256, textSimHash } from '../screening/index.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { storeBlob } from './blobs.ts';
import { activeHoldCases } from './legal-holds.ts';
import { type PreservedContentView, toPreservedView } from './preserved-view.ts';
import { preservedUntil } from './retention.ts';

/**
 * The platform deposits what it captured of a case's content (the message text, the media,
 * a screenshot) so that it outlives the takedown (TCO Art. 6: removed content is preserved;
 * RULEBOOK: takedown hides, it does not destroy evidence). Stored like evidence: content-
 * addressed in `blobs`, with SHA-256 and MD5, and the screening hashes (PDQ for images;
 * normalised-text SHA-256 and SimHash for text) that still match after the bytes are purged.
 */
export type Deposit =
  | { kind: 'file'; description: string; file: CheckedFile }
  | { kind: 'text'; description: string; text: string };

export async function depositContent(
  db: Db,
  actor: Actor | SystemActor,
  caseId: string,
  deposit: Deposit,
  preservationDays: number,
  now: Date,
): Promise<PreservedContentView> {
  const stored = deposit.kind === 'file' ? await fileContent(deposit.file) : textContent(deposit.text);
  return transact(db, async (trx) => {
    const found = await trx
      .selectFrom('cases')
      .select(['id', 'decided_at'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!found) throw notFound(`no case ${caseId}`);
    const until = preservedUntil(found.decided_at, now, preservationDays);
    // Past the period, without a hold, there is no ground left to keep anything (TCO Art. 6(1)).
    if (until <= now && !(await activeHoldCases(trx, [caseId], now)).has(caseId)) {
      throw conflict(
        `the preservation period of this case ended on ${until.toISOString()} and no legal hold keeps it; nothing more is kept for it`,
        { preserved_until: until.toISOString() },
      );
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
    await appendAudit(
      trx,
      actor,
      {
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
      },
      now,
    );
    return toPreservedView(row);
  });
}

interface StoredContent {
  data: Buffer;
  sha256: string;
  md5: string;
  filename: string | null;
  contentType: string;
  hashes: Record<string, unknown>;
}

async function fileContent(file: CheckedFile): Promise<StoredContent> {
  const hashes: Record<string, unknown> = { sha256: file.sha256, md5: file.md5 };
  if (file.contentType.startsWith('image/')) {
    const media = await hashMediaBytes(file.data);
    if (media.pdq) Object.assign(hashes, { pdq: media.pdq, pdq_quality: media.quality });
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

function textContent(text: string): StoredContent {
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
