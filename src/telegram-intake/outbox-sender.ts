import type { BotApiResult } from '../enforcement/connectors/telegram-bot-api.ts';
import type { OutboxMessage } from '../outbox/outbox.ts';
import { PermanentFailure, RetryLater, type TopicHandler } from '../outbox/worker.ts';
import type { Db } from '../store/db.ts';
import type { IntakeBotApi } from './bot-client.ts';

/**
 * Everything the bot says leaves through the outbox (src/outbox), written in the
 * transaction that handled the update: a reply is sent if and only if its update was
 * handled, and a restart neither loses nor repeats it (the outbox delivers once it has an
 * answer; a lost answer retries, which for a chat message is the lesser harm). Messages to
 * one chat share an ordering key, so they arrive in the order they were written.
 *
 * Flood control: a 429 carries `retry_after` (#responseparameters); the message waits
 * exactly that long (RetryLater), and the other chats' messages are not held up.
 */
export const SEND_TOPIC = 'telegram_intake.send';

export interface Outgoing {
  method: 'sendMessage' | 'sendDocument' | 'answerCallbackQuery' | 'editMessageReplyMarkup';
  params: Record<string, unknown>;
  document?: { filename: string; content: string; contentType: string };
  /** Remember the sent message, so that a reply to it finds its notice (clarifications). */
  remember?: { notice_id: string; kind: string };
}

export function outgoing(chatId: number, message: Outgoing): OutboxMessage {
  return { topic: SEND_TOPIC, orderingKey: `telegram:${chatId}`, payload: message };
}

export function sendHandler(db: Db, api: IntakeBotApi, clock: () => Date): TopicHandler {
  return {
    async handle(message) {
      const out = message.payload as Outgoing;
      const sent: BotApiResult<{ message_id: number } | true> = out.document
        ? await api.sendDocument(out.params, out.document)
        : await api.call(out.method, out.params);
      if (!sent.ok) {
        if ('unreachable' in sent) throw new Error(`Bot API unreachable: ${sent.unreachable}`);
        const { error_code: code, description, retry_after: retryAfter } = sent.error;
        if (retryAfter !== undefined)
          throw new RetryLater(`Telegram flood control: retry after ${retryAfter} s`, retryAfter * 1000);
        if (code === 429 || code >= 500) throw new Error(`Bot API error ${code} on ${out.method}`);
        // 400 (a stale callback query, a message gone) and 403 (the analyst blocked the bot)
        // will not change with a retry.
        throw new PermanentFailure(`Telegram refused ${out.method} (${code}: ${description})`);
      }
      if (out.remember && typeof sent.result === 'object') {
        await db
          .insertInto('telegram_sent_messages')
          .values({
            chat_id: Number(out.params.chat_id),
            message_id: sent.result.message_id,
            notice_id: out.remember.notice_id,
            kind: out.remember.kind,
            sent_at: clock(),
          })
          .onConflict((oc) => oc.columns(['chat_id', 'message_id']).doNothing())
          .execute();
      }
    },
  };
}
