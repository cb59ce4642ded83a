import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import type { DraftState } from './conversation.ts';
import type { OriginKind } from './forwards.ts';
import type { Language, Precision } from './messages.ts';

/**
 * A draft: the notice being put together in a conversation, stored after every step so a
 * restart resumes it. Media are captured (downloaded, hashed, stored as blobs) when they
 * arrive, before the post can vanish; they become the notice's evidence when it is filed.
 */
export interface DraftTarget {
  raw: string;
  precision: Precision;
  /** Where the target came from: the forward's origin, or a pasted link. */
  source: OriginKind | 'link';
  described: string;
  /** The message in the bot's chat that brought it, so that a re-sent update adds nothing. */
  message_id: number;
}

export interface CapturedMedia {
  name: string;
  message_id: number;
  size: number | null;
  /** Set when the bytes were kept (a blob with this hash). */
  sha256: string | null;
  md5: string | null;
  pdq: string | null;
  pdq_quality: number | null;
  content_type: string | null;
  /** Why the bytes are missing, when they are: too large for the Bot API, or unreachable. */
  note: string | null;
}

export interface DraftData {
  language: Language;
  targets: DraftTarget[];
  /** The posts' text and captions, kept as evidence with the media. */
  texts: { message_id: number; described: string; text: string }[];
  media: CapturedMedia[];
  /** Every bot-chat message already taken into the draft. */
  messages: number[];
  media_group_id: string | null;
  gather_until: string | null;
  category: string | null;
  legal_basis: string | null;
  legal_references: { instrument: string; provision?: string }[];
  explanation: string | null;
}

export interface Draft {
  id: string;
  telegram_user_id: number;
  chat_id: number;
  user_id: string;
  state: DraftState;
  data: DraftData;
  created_at: Date;
  notice_id: string | null;
}

/** Callback data carries this instead of the whole id (64 bytes at most, #inlinekeyboardbutton). */
export const tokenOf = (draftId: string) => draftId.replaceAll('-', '').slice(-12);

export function emptyDraftData(language: Language): DraftData {
  return {
    language,
    targets: [],
    texts: [],
    media: [],
    messages: [],
    media_group_id: null,
    gather_until: null,
    category: null,
    legal_basis: null,
    legal_references: [],
    explanation: null,
  };
}

export async function openDraft(db: Db, telegramUserId: number): Promise<Draft | null> {
  const row = await db
    .selectFrom('telegram_drafts')
    .select(['id', 'telegram_user_id', 'chat_id', 'user_id', 'state', 'data', 'created_at', 'notice_id'])
    .where('telegram_user_id', '=', telegramUserId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return row ? ({ ...row, state: row.state as DraftState, data: row.data as DraftData } as Draft) : null;
}

export function newDraft(
  link: { telegram_user_id: number; chat_id: number; user_id: string },
  state: DraftState,
  data: DraftData,
  now: Date,
): Draft {
  return {
    id: newId(),
    telegram_user_id: link.telegram_user_id,
    chat_id: link.chat_id,
    user_id: link.user_id,
    state,
    data,
    created_at: now,
    notice_id: null,
  };
}

/** Inserts or updates the draft; a closed state closes it. */
export async function saveDraft(trx: Db, draft: Draft, now: Date): Promise<void> {
  const closed = draft.state === 'filed' || draft.state === 'cancelled';
  await trx
    .insertInto('telegram_drafts')
    .values({
      id: draft.id,
      telegram_user_id: draft.telegram_user_id,
      chat_id: draft.chat_id,
      user_id: draft.user_id,
      state: draft.state,
      data: JSON.stringify(draft.data),
      created_at: draft.created_at,
      updated_at: now,
      notice_id: draft.notice_id,
      closed_at: closed ? now : null,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        state: draft.state,
        data: JSON.stringify(draft.data),
        updated_at: now,
        notice_id: draft.notice_id,
        closed_at: closed ? now : null,
      }),
    )
    .execute();
}
