import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import type { Connector } from './connectors/connector.ts';
import { TelegramBotConnector } from './connectors/telegram-bot.ts';
import { WebhookConnector } from './connectors/webhook.ts';

/**
 * The connectors this instance is configured with, by name. An action names its connector;
 * a decision that asks for an unconfigured one is refused before anything is written.
 */
export type ConnectorName = 'webhook' | 'telegram_bot';
export type Connectors = Partial<Record<ConnectorName, Connector>>;

export function connectorsFromConfig(config: Config, clock: Clock): Connectors {
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
    });
  }
  return connectors;
}
