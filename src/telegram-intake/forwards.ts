import { parseTarget } from '../notices/targets.ts';
import type { Precision } from './messages.ts';
import type { Message, TelegramFile } from './updates.ts';

/**
 * What a forwarded post says about where it came from, and the target it allows. Pure.
 *
 * The Bot API describes a forward's origin as `forward_origin` (Bot API 7.0+), one of:
 * - channel: the channel and the post's id → t.me/<username>/<id>, or t.me/c/<id>/<post>
 *   for a channel without a username (the Bot API's -100 prefix removed);
 * - chat: a chat posting as itself in a group (anonymous admins, linked channels); no post
 *   id → the chat;
 * - user: a person's account; no chat or post → the account, by username when it has one;
 * - hidden_user: the person hides their account → nothing to point at: the analyst is asked
 *   for a link.
 * Older clients send forward_from_chat (+ forward_from_message_id), forward_from, or
 * forward_sender_name instead; they are read the same way.
 */
export type OriginKind = 'channel' | 'chat' | 'user' | 'hidden_user';

export interface ForwardFacts {
  origin: OriginKind;
  /** Target text for the notice's parser, or null when the origin allows none. */
  target: string | null;
  precision: Precision;
  /** What the origin named, for the notice's explanation: "channel @x", "hidden user 'Abu'". */
  described: string;
  date: number | null;
}

export interface MediaRef {
  file_id: string;
  file_unique_id: string;
  size: number | null;
  name: string;
}

export function forwardFacts(message: Message): ForwardFacts | null {
  const origin = message.forward_origin;
  if (origin) {
    switch (origin.type) {
      case 'channel':
        return fromChat('channel', origin.chat, origin.message_id, origin.date);
      case 'chat':
        return fromChat('chat', origin.sender_chat, undefined, origin.date);
      case 'user':
        return fromUser(origin.sender_user, origin.date);
      case 'hidden_user':
        return hidden(origin.sender_user_name, origin.date);
    }
  }
  const date = message.forward_date ?? null;
  if (message.forward_from_chat)
    return fromChat(
      message.forward_from_chat.type === 'channel' ? 'channel' : 'chat',
      message.forward_from_chat,
      message.forward_from_message_id,
      date,
    );
  if (message.forward_from) return fromUser(message.forward_from, date);
  if (message.forward_sender_name !== undefined) return hidden(message.forward_sender_name, date);
  return null;
}

function fromChat(
  origin: OriginKind,
  chat: { id: number; username?: string | undefined; title?: string | undefined; type: string },
  messageId: number | undefined,
  date: number | null,
): ForwardFacts {
  const name = chat.username ? `@${chat.username}` : `"${chat.title ?? chat.id}"`;
  const described = `${chat.type === 'channel' ? 'channel' : 'chat'} ${name}`;
  const internal = internalChatId(chat.id);
  let target: string | null = null;
  let precision: Precision = 'none';
  if (messageId !== undefined && (chat.username || internal)) {
    target = chat.username
      ? `https://t.me/${chat.username}/${messageId}`
      : `https://t.me/c/${internal}/${messageId}`;
    precision = 'message';
  } else if (chat.username) {
    target = `https://t.me/${chat.username}`;
    precision = 'chat';
  }
  // A private chat without a post id has no link a person could open: the parser decides.
  if (target && !parseTarget(target).ok) {
    target = null;
    precision = 'none';
  }
  return { origin, target, precision, described, date };
}

function fromUser(
  user: { id: number; username?: string | undefined; first_name?: string | undefined },
  date: number | null,
): ForwardFacts {
  const described = user.username ? `account @${user.username}` : `account "${user.first_name ?? user.id}"`;
  const target = user.username && parseTarget(`@${user.username}`, 'account').ok ? `@${user.username}` : null;
  return { origin: 'user', target, precision: target ? 'account' : 'none', described, date };
}

function hidden(name: string, date: number | null): ForwardFacts {
  return { origin: 'hidden_user', target: null, precision: 'none', described: `hidden user "${name}"`, date };
}

/** The Bot API gives supergroups and channels as -100<id>; t.me/c/ links use <id>. */
function internalChatId(chatId: number): string | null {
  const text = String(chatId);
  return text.startsWith('-100') && text.length > 4 ? text.slice(4) : null;
}

/** The post's media: the largest photo size, or the one file a message carries. */
export function mediaOf(message: Message): MediaRef | null {
  const photo = message.photo?.length
    ? message.photo.reduce((a, b) => ((b.file_size ?? 0) >= (a.file_size ?? 0) ? b : a))
    : undefined;
  const kinds: [string, TelegramFile | undefined][] = [
    ['photo', photo],
    ['video', message.video],
    ['animation', message.animation],
    ['document', message.document],
    ['audio', message.audio],
    ['voice', message.voice],
  ];
  for (const [kind, file] of kinds) {
    if (!file) continue;
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      size: file.file_size ?? null,
      name: file.file_name ?? `${kind}-${file.file_unique_id}`,
    };
  }
  return null;
}

/** Targets pasted as text: every token that looks like a Telegram location or a URL. */
export function pastedTargets(text: string): { raw: string; ok: boolean; reason?: string }[] {
  const tokens =
    text.match(
      /(?:https?:\/\/|tg:\/\/)\S+|(?:^|\s)(?:t\.me|telegram\.me|telegram\.dog)\/\S+|(?:^|\s)@\w{4,}/gi,
    ) ?? [];
  return tokens.map((token) => {
    const raw = token.trim().replace(/[),.;!?]+$/, '');
    const parsed = parseTarget(raw);
    return parsed.ok ? { raw, ok: true } : { raw, ok: false, reason: parsed.reason };
  });
}
