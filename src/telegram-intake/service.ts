import type { Config } from '../config/config.ts';
import type { TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from '../runtime/context.ts';
import { ScheduledJob } from '../runtime/schedule.ts';
import { type IntakeBotApi, intakeBotApi } from './bot-client.ts';
import { InboxProcessor } from './inbox.ts';
import { SEND_TOPIC, sendHandler } from './outbox-sender.ts';
import { ALLOWED_UPDATES, UpdatePoller } from './polling.ts';
import { collectStatus, deliverStatus } from './status.ts';
import { webhookUrl } from './webhook.ts';

/**
 * The intake bot of one tapis process, made from its settings: on when
 * TAPIS_TELEGRAM_INTAKE_BOT_TOKEN is set. It contributes an outbox topic (what the bot
 * says), a scheduled job (status back to analysts, and any update left unhandled by a
 * crash), and a runner: the poller, or, in webhook mode, the setWebhook call.
 */
export const FLOOD_PER_MINUTE = 20;

export interface TelegramIntake {
  api: IntakeBotApi;
  inbox: InboxProcessor;
  mode: 'polling' | 'webhook';
  secret: string | null;
}

const instances = new WeakMap<AppContext, TelegramIntake | null>();

export function telegramIntakeOf(ctx: AppContext): TelegramIntake | null {
  if (instances.has(ctx)) return instances.get(ctx)!;
  const token = ctx.config.TAPIS_TELEGRAM_INTAKE_BOT_TOKEN;
  let intake: TelegramIntake | null = null;
  if (token) {
    checkSettings(ctx.config);
    const api = intakeBotApi({ token, baseUrl: ctx.config.TAPIS_TELEGRAM_API_URL, timeoutMs: 40_000 });
    intake = {
      api,
      mode: ctx.config.TAPIS_TELEGRAM_INTAKE_MODE,
      secret: ctx.config.TAPIS_TELEGRAM_INTAKE_WEBHOOK_SECRET ?? null,
      inbox: new InboxProcessor({
        db: ctx.db,
        api,
        intake: ctx.intake,
        publicUrl: ctx.config.publicUrl,
        clock: ctx.clock,
        log: ctx.log.child({ component: 'telegram-intake' }),
        floodPerMinute: FLOOD_PER_MINUTE,
      }),
    };
  }
  instances.set(ctx, intake);
  return intake;
}

function checkSettings(config: Config): void {
  if (config.TAPIS_TELEGRAM_INTAKE_MODE !== 'webhook') return;
  if (!config.TAPIS_TELEGRAM_INTAKE_WEBHOOK_SECRET)
    throw new Error('TAPIS_TELEGRAM_INTAKE_MODE=webhook needs TAPIS_TELEGRAM_INTAKE_WEBHOOK_SECRET');
  if (!config.TAPIS_PUBLIC_URL?.startsWith('https://'))
    throw new Error(
      'TAPIS_TELEGRAM_INTAKE_MODE=webhook needs an https TAPIS_PUBLIC_URL (Telegram posts only to https)',
    );
}

export function telegramIntakeHandlers(ctx: AppContext): Record<string, TopicHandler> {
  const intake = telegramIntakeOf(ctx);
  return intake ? { [SEND_TOPIC]: sendHandler(ctx.db, intake.api, ctx.clock) } : {};
}

export function telegramIntakeJobs(ctx: AppContext): ScheduledJob[] {
  const intake = telegramIntakeOf(ctx);
  if (!intake) return [];
  const log = ctx.log.child({ worker: 'telegram-intake' });
  return [
    new ScheduledJob(
      'telegram status',
      10_000,
      async () => {
        const queued = await collectStatus(ctx.db);
        const sent = await deliverStatus(ctx.db, ctx.clock());
        // Webhook mode: updates stored but not handled before a crash.
        const handled = intake.mode === 'webhook' ? await intake.inbox.drain() : 0;
        return queued + sent + handled;
      },
      log,
    ),
  ];
}

/** Starts the runner; returns how to stop it. */
export async function startTelegramIntake(ctx: AppContext): Promise<() => Promise<void>> {
  const intake = telegramIntakeOf(ctx);
  if (!intake) return async () => {};
  const log = ctx.log.child({ component: 'telegram-intake' });
  if (intake.mode === 'webhook') {
    const set = await intake.api.call('setWebhook', {
      url: webhookUrl(ctx.config.publicUrl),
      secret_token: intake.secret,
      allowed_updates: ALLOWED_UPDATES,
    });
    if (!set.ok)
      log.error({ failure: 'error' in set ? set.error.error_code : 'unreachable' }, 'setWebhook failed');
    return async () => {};
  }
  const poller = new UpdatePoller({
    db: ctx.db,
    api: intake.api,
    inbox: intake.inbox,
    log,
    clock: ctx.clock,
  });
  poller.start();
  return () => poller.stop();
}
