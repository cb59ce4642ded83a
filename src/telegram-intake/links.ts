import { createHash, randomInt } from 'node:crypto';
import { appendAudit } from '../audit/log.ts';
import { forbidden, notFound } from '../core/errors.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import type { Language } from './messages.ts';
import { startStatusCursor } from './status.ts';

/**
 * Linking a Telegram account to a tapis user. The portal asks for a one-time code
 * (POST /v1/me/telegram-link); the analyst sends it to the bot as `/start CODE`. A code
 * works once and for ten minutes; only its SHA-256 is stored, so a database reader cannot
 * link an account with it. Only people of flagger organisations link: the bot files
 * notices, and platform staff do not notify themselves.
 */
export const LINK_CODE_TTL_MS = 10 * 60_000;

/** Crockford-like: no 0/O, 1/I/L, so a code read aloud or retyped survives. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
export const LINK_CODE_PATTERN = /^[A-Za-z0-9]{10}$/;

export const hashCode = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('hex');

export function mayLink(actor: Actor): void {
  if (actor.type !== 'user')
    throw forbidden('a Telegram account links to a person: sign in to the portal as the analyst');
  if (actor.orgKind === 'platform')
    throw forbidden('only users of flagger organisations can link a Telegram account to file notices');
}

export async function createLinkCode(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ code: string; expires_at: Date; command: string }> {
  mayLink(actor);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await transact(db, async (trx) => {
    // A new code replaces the ones not yet used: only the last one shown works.
    await trx
      .updateTable('telegram_link_codes')
      .set({ expires_at: now })
      .where('user_id', '=', actor.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    await trx
      .insertInto('telegram_link_codes')
      .values({ code_hash: hashCode(code), user_id: actor.id, created_at: now, expires_at: expiresAt })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'telegram.link_code_created',
        objectType: 'user',
        objectId: actor.id,
        change: { expires_at: expiresAt },
      },
      now,
    );
  });
  return { code, expires_at: expiresAt, command: `/start ${code}` };
}

export interface LinkView {
  linked: boolean;
  linked_at: Date | null;
  language: string | null;
  muted: boolean;
}

export async function linkOf(db: Db, actor: Actor): Promise<LinkView> {
  const row = await db
    .selectFrom('telegram_links')
    .select(['linked_at', 'language', 'muted'])
    .where('user_id', '=', actor.id)
    .executeTakeFirst();
  return row ? { linked: true, ...row } : { linked: false, linked_at: null, language: null, muted: false };
}

export async function unlinkUser(db: Db, actor: Actor, now: Date): Promise<void> {
  await transact(db, async (trx) => {
    const gone = await trx
      .deleteFrom('telegram_links')
      .where('user_id', '=', actor.id)
      .returning('telegram_user_id')
      .executeTakeFirst();
    if (!gone) throw notFound('no Telegram account is linked to you');
    await closeDrafts(trx, gone.telegram_user_id, now);
    await appendAudit(
      trx,
      actor,
      { action: 'telegram.unlinked', objectType: 'user', objectId: actor.id, change: { by: 'portal' } },
      now,
    );
  });
}

export type Redemption =
  | { ok: true; userId: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'not_flagger' };

/** `/start CODE` from a Telegram account, in the caller's transaction. */
export async function redeemLinkCode(
  trx: Db,
  sender: { telegramUserId: number; chatId: number; language: Language },
  code: string,
  now: Date,
): Promise<Redemption> {
  const code_row = await trx
    .selectFrom('telegram_link_codes')
    .select(['code_hash', 'used_at', 'expires_at', 'user_id'])
    .where('code_hash', '=', hashCode(code))
    .forUpdate()
    .executeTakeFirst();
  const user = code_row
    ? await trx
        .selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.org_id')
        .select([
          'users.id as user_id',
          'users.disabled_at',
          'organisations.id as org_id',
          'organisations.kind as org_kind',
        ])
        .where('users.id', '=', code_row.user_id)
        .executeTakeFirst()
    : undefined;
  const row = code_row && user ? { ...code_row, ...user } : undefined;
  if (!row || row.disabled_at) return { ok: false, reason: 'unknown' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  if (row.org_kind === 'platform') return { ok: false, reason: 'not_flagger' };
  await trx
    .updateTable('telegram_link_codes')
    .set({ used_at: now, used_by: sender.telegramUserId })
    .where('code_hash', '=', row.code_hash)
    .execute();
  // One Telegram account per user and one user per account: a new link replaces the old.
  await trx
    .deleteFrom('telegram_links')
    .where((eb) =>
      eb.or([eb('user_id', '=', row.user_id), eb('telegram_user_id', '=', sender.telegramUserId)]),
    )
    .execute();
  await trx
    .insertInto('telegram_links')
    .values({
      telegram_user_id: sender.telegramUserId,
      chat_id: sender.chatId,
      user_id: row.user_id,
      org_id: row.org_id,
      language: sender.language,
      muted: false,
      linked_at: now,
    })
    .execute();
  await startStatusCursor(trx);
  await appendAudit(
    trx,
    { type: 'system', id: 'telegram-intake' },
    {
      action: 'telegram.linked',
      objectType: 'user',
      objectId: row.user_id,
      change: { telegram_user_id: sender.telegramUserId },
    },
    now,
  );
  return { ok: true, userId: row.user_id };
}

export interface Link {
  telegram_user_id: number;
  chat_id: number;
  user_id: string;
  org_id: string;
  language: string;
  muted: boolean;
}

export async function findLink(db: Db, telegramUserId: number): Promise<Link | undefined> {
  return db
    .selectFrom('telegram_links')
    .select(['telegram_user_id', 'chat_id', 'user_id', 'org_id', 'language', 'muted'])
    .where('telegram_user_id', '=', telegramUserId)
    .executeTakeFirst();
}

/** Ends the conversations of an account that is no longer linked. */
export async function closeDrafts(trx: Db, telegramUserId: number, now: Date): Promise<void> {
  await trx
    .updateTable('telegram_drafts')
    .set({ state: 'cancelled', closed_at: now, updated_at: now })
    .where('telegram_user_id', '=', telegramUserId)
    .where('closed_at', 'is', null)
    .execute();
}
