import { OutboxWorker } from '../../src/outbox/worker.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { type Caller, createTestApp, type TestApp } from './app.ts';
import { testClock } from './clock.ts';
import { FakeBotApi } from './fake-bot-api.ts';
import { FakePlatformApi } from './fake-platform-api.ts';

/**
 * A test app wired to both enforcement connectors, each against its local fake: the
 * platform's moderation API (webhook) and the Telegram Bot API.
 */
export const BOT_TOKEN = '123456789:AAtestTokenForTheFakeBotApi_0123456789';
export const PLATFORM_SECRET = 'platform-webhook-secret-for-tests';
/** The chat the Telegram connector forwards a message to before deleting it (MR5). */
export const EVIDENCE_CHAT = -1009999000001;

export interface Desk {
  app: TestApp;
  platform: FakePlatformApi;
  bot: FakeBotApi;
  worker: OutboxWorker;
  /** Runs the outbox until nothing is due, moving the clock past backoffs. */
  drain(rounds?: number): Promise<void>;
  submit(
    as: Caller,
    body: Record<string, unknown>,
  ): Promise<{ notice_id: string; targets: { case_id: string }[] }>;
  close(): Promise<void>;
}

export async function createDesk(): Promise<Desk> {
  const clock = testClock();
  const platform = await FakePlatformApi.start({ secret: PLATFORM_SECRET, now: clock });
  const bot = await FakeBotApi.start({ token: BOT_TOKEN, now: clock });
  bot.addChat({ id: EVIDENCE_CHAT, type: 'channel' });
  const app = await createTestApp({
    clock,
    env: {
      TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
      TAPIS_PLATFORM_WEBHOOK_URL: platform.url,
      TAPIS_PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET,
      TAPIS_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TAPIS_TELEGRAM_API_URL: bot.baseUrl,
      TAPIS_TELEGRAM_EVIDENCE_CHAT_ID: String(EVIDENCE_CHAT),
    },
  });
  const worker = new OutboxWorker({
    db: app.ctx.db,
    clock: app.clock,
    log: app.ctx.log,
    handlers: outboxHandlers(app.ctx),
  });
  return {
    app,
    platform,
    bot,
    worker,
    async drain(rounds = 80) {
      for (let i = 0; i < rounds; i++) {
        const handled = await worker.runOnce();
        if (handled > 0) continue;
        const pending = await app.ctx.db
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('topic', 'like', 'enforcement.%')
          .executeTakeFirst();
        if (!pending) return;
        app.clock.advance(60_000);
      }
    },
    async submit(as, body) {
      const response = await app.request({ method: 'POST', url: '/v1/notices', as, payload: body });
      if (response.statusCode !== 201) throw new Error(`notice refused: ${response.body}`);
      return response.json();
    },
    async close() {
      await app.close();
      await platform.stop();
      await bot.stop();
    },
  };
}
