import pino, { type Logger } from 'pino';

/**
 * Logs carry ids, never content or secrets: credentials in headers are redacted, request
 * bodies are not logged, and database errors lose the query parameters they carry (which
 * may hold a notice's text or a token hash).
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["tapis-signature"]',
  'res.headers["set-cookie"]',
  // Any field of these names, at the top of a log line or one level down (issue 15: secrets
  // never reach logs; test/secrets/no-secrets-in-logs.test.ts).
  'password',
  'secret',
  'token',
  'csrf_token',
  'api_key',
  '*.password',
  '*.secret',
  '*.token',
  '*.csrf_token',
  '*.api_key',
];

function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, routine, severity } = error as Error & { code?: string; routine?: string; severity?: string };
  return { type: error.name, message: error.message, code, routine, severity, stack: error.stack };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}
