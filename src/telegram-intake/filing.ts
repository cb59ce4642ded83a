import { createHash } from 'node:crypto';
import { appendAuditMany } from '../audit/log.ts';
import { DomainError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { type IntakeResult, prepareNotice } from '../notices/intake.ts';
import type { IntakeQueue } from '../notices/intake-queue.ts';
import { type NoticeInput, noticeInput } from '../notices/notice-input.ts';
import { storeBlob } from '../preservation/blobs.ts';
import type { Db } from '../store/db.ts';
import type { Draft } from './drafts.ts';

/**
 * Filing a draft: the notice goes through the same intake as the API's (validation, SOP
 * deadlines, signed receipt, one transaction: src/notices/intake*.ts), with the draft's id
 * as its idempotency key, so that a filing repeated after a crash returns the same receipt
 * and makes no second notice.
 */
/** The analyst's own explanation, or one composed from the forward and the legal basis. */
export function explanationOf(draft: Draft): string {
  const d = draft.data;
  return (
    d.explanation ??
    (d.language === 'id'
      ? `Konten ini diteruskan oleh analis melalui bot Telegram tapis (${described(draft)}) dan dilaporkan berdasarkan ${d.legal_basis ?? 'dasar hukum terlampir'}.`
      : `This content was forwarded by an analyst through the tapis Telegram bot (${described(draft)}) and is notified under ${d.legal_basis ?? 'the legal basis given'}.`)
  );
}

export function noticeInputOf(draft: Draft, actor: Actor): NoticeInput | { refused: string } {
  const d = draft.data;
  const explanation = explanationOf(draft);
  const parsed = noticeInput.safeParse({
    targets: [...new Set(d.targets.map((t) => t.raw))],
    category: d.category,
    jurisdiction: actor.jurisdictions[0] ?? 'ID',
    ...(d.legal_basis ? { legal_basis: d.legal_basis } : {}),
    ...(d.legal_references.length ? { legal_references: d.legal_references } : {}),
    explanation,
    good_faith: true,
    language: d.language,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { refused: `${issue.path.join('.') || 'notice'}: ${issue.message}` };
  }
  return parsed.data;
}

function described(draft: Draft): string {
  return [...new Set(draft.data.targets.map((t) => t.described))].join('; ');
}

export type Filing = { ok: true; result: IntakeResult } | { ok: false; reason: string };

export async function fileDraft(
  deps: { db: Db; intake: IntakeQueue; publicUrl: string },
  draft: Draft,
  actor: Actor,
  now: Date,
): Promise<Filing> {
  const input = noticeInputOf(draft, actor);
  if ('refused' in input) return { ok: false, reason: input.refused };
  try {
    const prepared = await prepareNotice(deps.db, actor, input, now, {
      idempotencyKey: `telegram-draft:${draft.id}`,
      publicUrl: deps.publicUrl,
    });
    return { ok: true, result: await deps.intake.submit(prepared) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * The draft's captured media become evidence of the notice, with a manifest beside them:
 * what the forward said about its origin, the posts' text, each file's PDQ, MD5 and
 * SHA-256, and the files the Bot API would not hand over. Evidence follows the
 * preservation rules of every notice's evidence (src/preservation/purge.ts). In the
 * caller's transaction; a repeat adds nothing.
 */
export async function attachEvidence(
  trx: Db,
  actor: Actor,
  draft: Draft,
  noticeId: string,
  now: Date,
): Promise<number> {
  const held = await trx.selectFrom('evidence').select('sha256').where('notice_id', '=', noticeId).execute();
  const have = new Set(held.map((h) => h.sha256));
  const manifest = JSON.stringify(
    {
      source: 'telegram-intake-bot',
      targets: draft.data.targets,
      posts: draft.data.texts,
      media: draft.data.media,
    },
    null,
    2,
  );
  const manifestBytes = Buffer.from(manifest, 'utf8');
  const manifestSha = createHash('sha256').update(manifestBytes).digest('hex');
  await storeBlob(trx, manifestSha, manifestBytes);
  const rows = [
    {
      filename: 'telegram-forward.json',
      content_type: 'application/json',
      size: manifestBytes.length,
      sha256: manifestSha,
      md5: createHash('md5').update(manifestBytes).digest('hex'),
      pdq: null as string | null,
    },
    ...draft.data.media
      .filter((m) => m.sha256 && m.md5)
      .map((m) => ({
        filename: m.name,
        content_type: m.content_type ?? 'application/octet-stream',
        size: m.size ?? 0,
        sha256: m.sha256!,
        md5: m.md5!,
        pdq: m.pdq,
      })),
  ].filter((row, i, all) => !have.has(row.sha256) && all.findIndex((r) => r.sha256 === row.sha256) === i);
  if (rows.length === 0) return 0;
  const views = rows.map((row) => ({ id: newId(), ...row }));
  await trx
    .insertInto('evidence')
    .values(
      views.map(({ pdq: _, ...v }) => ({
        ...v,
        notice_id: noticeId,
        org_id: actor.orgId,
        uploaded_by: actor.id,
        uploaded_at: now,
      })),
    )
    .execute();
  await appendAuditMany(
    trx,
    views.map((v) => ({
      actor,
      record: {
        action: 'evidence.uploaded',
        objectType: 'notice',
        objectId: noticeId,
        change: {
          evidence_id: v.id,
          sha256: v.sha256,
          md5: v.md5,
          pdq: v.pdq,
          size: v.size,
          content_type: v.content_type,
          via: 'telegram',
        },
      },
    })),
    now,
  );
  return views.length;
}
