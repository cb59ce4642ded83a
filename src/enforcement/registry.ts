import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { DemoPlatformConnector } from '../demo-platform/connector.ts';
import type { Db } from '../store/db.ts';
import type { Connector } from './connectors/connector.ts';
import { TelegramBotConnector } from './connectors/telegram-bot.ts';
import { WebhookConnector } from './connectors/webhook.ts';

/**
 * The connectors this instance is configured with, by name. An action names its connector;
 * a decision that asks for an unconfigured one is refused before anything is written.
 */
export type ConnectorName = 'webhook' | 'telegram_bot' | 'demo_platform';
export type Connectors = Partial<Record<ConnectorName, Connector>>;

export function connectorsFromConfig(config: Config, clock: Clock, db?: Db): Connectors {
  const connectors: Connectors = {};
  if (config.TAPIS_PLATFORM_WEBHOOK_URL && config.TAPIS_PLATFORM_WEBHOOK_SECRET) {
    connectors.webhook = new WebhookConnector({
      url: config.TAPIS_PLATFORM_WEBHOOK_URL,
      secret: config.TAPIS_PLATFORM_WEBHOOK_SECRET,
      timeoutMs: 10_000,
      clock,
    });
  }
  if (config.TAPIS_TELEGRAM_BOT_TOKEN) {
    connectors.telegram_bot = new TelegramBotConnector({
      token: config.TAPIS_TELEGRAM_BOT_TOKEN,
      baseUrl: config.TAPIS_TELEGRAM_API_URL,
      timeoutMs: 10_000,
      clock,
      evidenceChatId: config.TAPIS_TELEGRAM_EVIDENCE_CHAT_ID,
    });
  }
  // Demo mode: the built-in simulated Telegram (docs/decisions/0010-demo-platform.md).
  if (config.TAPIS_DEMO && db) connectors.demo_platform = new DemoPlatformConnector(db, clock);
  return connectors;
}

/**
 * The connector a decision's actions go to when the reviewer names none: the platform's own
 * moderation API when configured, else the demo platform in demo mode. The Telegram Bot API
 * is used only when a decision names it: it cannot undo a deletion.
 */
export function platformConnector(connectors: Connectors): ConnectorName | null {
  if (connectors.webhook) return 'webhook';
  if (connectors.demo_platform) return 'demo_platform';
  return null;
}

/** The connector that delivers statements of reasons to the affected user (DSA Art. 17(1)), if any. */
export function statementConnector(connectors: Connectors): ConnectorName | null {
  const name = platformConnector(connectors);
  return name && connectors[name]?.capabilities.deliver_statement ? name : null;
}

/** The settings that turn a connector on, for messages that tell an operator what to set. */
export const connectorSettings: Record<ConnectorName, string> = {
  webhook: 'TAPIS_PLATFORM_WEBHOOK_URL and TAPIS_PLATFORM_WEBHOOK_SECRET (the platform’s moderation API)',
  telegram_bot: 'TAPIS_TELEGRAM_BOT_TOKEN (the Telegram Bot API, for chats the bot administers)',
  demo_platform: 'TAPIS_DEMO=true (the built-in demo platform; `npm start` sets it)',
};
