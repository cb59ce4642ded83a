import type { OutboxMessage } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import type { Language } from './messages.ts';
import { type Outgoing, outgoing } from './outbox-sender.ts';

/**
 * One update's handling: what the bot will say and what it will write, applied together
 * in the transaction that marks the update handled (src/telegram-intake/inbox.ts).
 */
export class Turn {
  readonly out: OutboxMessage[] = [];
  readonly writes: ((trx: Db) => Promise<void>)[] = [];
  outcome = 'handled';

  constructor(
    readonly chatId: number,
    public language: Language,
  ) {}

  say(text: string, extra: Record<string, unknown> = {}, remember?: Outgoing['remember']): void {
    this.send({
      method: 'sendMessage',
      params: { chat_id: this.chatId, text: text.slice(0, 4096), ...extra },
      ...(remember ? { remember } : {}),
    });
  }

  send(message: Outgoing): void {
    this.out.push(outgoing(this.chatId, message));
  }

  /** A pressed button must be answered, or the analyst's app shows it loading. */
  answer(callbackQueryId: string, text?: string): void {
    this.send({
      method: 'answerCallbackQuery',
      params: { callback_query_id: callbackQueryId, ...(text ? { text: text.slice(0, 200) } : {}) },
    });
  }

  write(work: (trx: Db) => Promise<void>): void {
    this.writes.push(work);
  }
}
