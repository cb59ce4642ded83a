import { z } from 'zod';

/**
 * The parts of a Bot API Update the bot reads (core.telegram.org/bots/api#update), as zod
 * schemas: an update is input from outside, so a malformed one is refused, never half
 * handled. Objects are loose: Telegram adds fields often, and an unknown field is no fault.
 */
const id = z.number().int().safe();

const user = z.looseObject({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.looseObject({
  id,
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
});

/** MessageOrigin: #messageoriginuser, …hiddenuser, …chat, …channel. */
const origin = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('user'), date: id, sender_user: user }),
  z.looseObject({ type: z.literal('hidden_user'), date: id, sender_user_name: z.string() }),
  z.looseObject({
    type: z.literal('chat'),
    date: id,
    sender_chat: chat,
    author_signature: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('channel'),
    date: id,
    chat,
    message_id: id,
    author_signature: z.string().optional(),
  }),
]);

const file = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string().min(1),
  file_size: z.number().int().nonnegative().optional(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});

const message = z.looseObject({
  message_id: id,
  date: id,
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  media_group_id: z.string().optional(),
  forward_origin: origin.optional(),
  // Bot API before 7.0 (December 2023), still sent by some clients and proxies.
  forward_from: user.optional(),
  forward_from_chat: chat.optional(),
  forward_from_message_id: id.optional(),
  forward_sender_name: z.string().optional(),
  forward_signature: z.string().optional(),
  forward_date: id.optional(),
  photo: z.array(file).optional(),
  video: file.optional(),
  document: file.optional(),
  animation: file.optional(),
  audio: file.optional(),
  voice: file.optional(),
  sticker: file.optional(),
  reply_to_message: z.looseObject({ message_id: id }).optional(),
});

const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  data: z.string().max(64).optional(),
  message: z.looseObject({ message_id: id, chat }).optional(),
});

export const updateSchema = z.looseObject({
  update_id: id.nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

export type Update = z.infer<typeof updateSchema>;
export type Message = z.infer<typeof message>;
export type TelegramUser = z.infer<typeof user>;
export type TelegramFile = z.infer<typeof file>;
export type CallbackQuery = z.infer<typeof callbackQuery>;

/** Who sent an update, for links, languages and flood limits; null for updates without a person. */
export function senderOf(update: Update): TelegramUser | null {
  return update.message?.from ?? update.callback_query?.from ?? null;
}
