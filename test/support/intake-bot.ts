import { OutboxWorker } from '../../src/outbox/worker.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { InboxProcessor } from '../../src/telegram-intake/inbox.ts';
import { UpdatePoller } from '../../src/telegram-intake/polling.ts';
import { FLOOD_PER_MINUTE, telegramIntakeOf } from '../../src/telegram-intake/service.ts';
import { type Caller, createTestApp, type TestApp } from './app.ts';
import { testClock } from './clock.ts';
import { FakeBotApi, type SentMessage } from './fake-bot-api.ts';

/**
 * A test app with the Telegram intake bot on, against the local Bot API double, and the
 * means to drive it as an analyst would: forward a post, press a button, reply. Polling
 * runs one getUpdates at a time (`poll`), and the outbox is drained after it, so a test
 * sees exactly what the bot said.
 */
export const INTAKE_TOKEN = '987654321:AAintakeTokenForTheFakeBotApi_987654';

export interface IntakeBot {
  app: TestApp;
  bot: FakeBotApi;
  worker: OutboxWorker;
  poller: UpdatePoller;
  /** What the poller slept for (429s, failures), in ms. */
  slept: number[];
  /** Send without the pause between messages (flood tests). */
  burst: boolean;
  /** A new inbox and poller on the same database: a restarted process. */
  restart(): void;
  poll(): Promise<void>;
  drainOutbox(): Promise<void>;
  /** Links a Telegram account to a portal user; returns the bot's answer. */
  link(caller: Caller, telegramId: number, language?: string): Promise<string>;
  send(from: number, message: Record<string, unknown>, language?: string): Record<string, unknown>;
  press(from: number, data: string): Record<string, unknown>;
  /** The callback data of the button whose text matches, on the last keyboard sent to the chat. */
  button(chat: number, text: RegExp | string): string;
  said(chat: number): SentMessage[];
  close(): Promise<void>;
}

export async function createIntakeBot(env: Record<string, string> = {}): Promise<IntakeBot> {
  const clock = testClock();
  const bot = await FakeBotApi.start({ token: INTAKE_TOKEN, now: clock });
  const app = await createTestApp({
    clock,
    env: {
      TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
      TAPIS_TELEGRAM_INTAKE_BOT_TOKEN: INTAKE_TOKEN,
      TAPIS_TELEGRAM_API_URL: bot.baseUrl,
      ...env,
    },
  });
  const intake = telegramIntakeOf(app.ctx)!;
  const worker = new OutboxWorker({
    db: app.ctx.db,
    clock,
    log: app.ctx.log,
    handlers: outboxHandlers(app.ctx),
  });
  const slept: number[] = [];
  const makePoller = (inbox: InboxProcessor) =>
    new UpdatePoller({
      db: app.ctx.db,
      api: intake.api,
      inbox,
      log: app.ctx.log,
      clock,
      timeoutSeconds: 0,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  let messageId = 1;
  const self: IntakeBot = {
    app,
    bot,
    worker,
    poller: makePoller(intake.inbox),
    slept,
    burst: false,
    restart() {
      const inbox = new InboxProcessor({
        db: app.ctx.db,
        api: intake.api,
        intake: app.ctx.intake,
        publicUrl: app.ctx.config.publicUrl,
        clock,
        log: app.ctx.log,
        floodPerMinute: FLOOD_PER_MINUTE,
      });
      self.poller = makePoller(inbox);
    },
    async poll() {
      await self.poller.pollOnce();
      await self.drainOutbox();
    },
    async drainOutbox() {
      for (let i = 0; i < 50; i++) if ((await worker.runOnce()) === 0) return;
    },
    async link(caller, telegramId, language = 'id') {
      const created = await app.request({ method: 'POST', url: '/v1/me/telegram-link', as: caller });
      if (created.statusCode !== 201) throw new Error(`no link code: ${created.body}`);
      self.send(telegramId, { text: `/start ${created.json().code}` }, language);
      await self.poll();
      return self.said(telegramId).at(-1)?.text ?? '';
    },
    send(from, message, language = 'id') {
      // A person types a few seconds apart: tests stay under the flood limit unless they mean not to.
      if (!self.burst) clock.advance(4_000);
      return bot.pushUpdate({
        message: {
          message_id: messageId++,
          date: Math.floor(clock().getTime() / 1000),
          chat: { id: from, type: 'private', first_name: 'Analis' },
          from: { id: from, is_bot: false, first_name: 'Analis', language_code: language },
          ...message,
        },
      });
    },
    press(from, data) {
      if (!self.burst) clock.advance(4_000);
      return bot.pushUpdate({
        callback_query: {
          id: `cb-${messageId++}`,
          from: { id: from, is_bot: false, first_name: 'Analis' },
          chat_instance: 'x',
          data,
          message: { message_id: 1, date: 0, chat: { id: from, type: 'private' } },
        },
      });
    },
    button(chat, text) {
      const keyboards = self.said(chat).filter((m) => m.reply_markup?.inline_keyboard);
      for (const message of keyboards.reverse()) {
        for (const row of message.reply_markup!.inline_keyboard!)
          for (const b of row)
            if (typeof text === 'string' ? b.text === text : text.test(b.text)) return b.callback_data;
      }
      throw new Error(`no button ${String(text)} sent to ${chat}`);
    },
    said: (chat) => bot.sentTo(chat),
    async close() {
      await app.close();
      await bot.stop();
    },
  };
  return self;
}

/** A post forwarded from a public channel, in the current Bot API form. */
export function channelForward(username: string, postId: number, extra: Record<string, unknown> = {}) {
  return {
    forward_origin: {
      type: 'channel',
      date: 1_790_000_000,
      chat: { id: -1001234567890, type: 'channel', title: 'Synthetic channel', username },
      message_id: postId,
    },
    text: 'Synthetic propaganda text for tests.',
    ...extra,
  };
}
