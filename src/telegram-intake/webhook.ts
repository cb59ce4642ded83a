import { timingSafeEqual } from 'node:crypto';

/**
 * Webhook mode (#setwebhook), for deployments with a public https address: Telegram POSTs
 * each update to us, with the secret token given to setWebhook in the
 * X-Telegram-Bot-Api-Secret-Token header. A request without the right token is refused;
 * the comparison takes the same time whatever the token.
 */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
export const WEBHOOK_PATH = '/v1/telegram-intake/webhook';

export function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}
