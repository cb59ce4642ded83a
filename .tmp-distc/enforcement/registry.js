import { TelegramBotConnector } from "./connectors/telegram-bot.js";
import { WebhookConnector } from "./connectors/webhook.js";
export function connectorsFromConfig(config, clock) {
    const connectors = {};
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
