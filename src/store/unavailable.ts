/**
 * Whether an error means "the database cannot be reached or cannot answer now", as opposed
 * to "this statement is wrong". The first is nobody's fault in the request: the HTTP layer
 * answers 503 with Retry-After (src/http/problems.ts), the intake does not retry a batch
 * notice by notice against a database that is gone (src/notices/intake-queue.ts), and
 * workers back off. Decision 0015.
 *
 * Returns a short reason to show (in /readyz and logs), or null for any other error.
 */

/** Socket errors from connecting to or talking to the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01–57P03 (the server is shutting down,
 * crashed, or not accepting connections yet), 53300 (too many connections), 57014 (a
 * statement cancelled, here by statement_timeout), 55P03 (lock_timeout), 25P03 (an idle
 * transaction ended by idle_in_transaction_session_timeout).
 */
const SQLSTATES = /^(08\w{3}|57P0[123]|53300|57014|55P03|25P03)$/;

/** What node-postgres and pg-pool say when the connection is gone or an answer never came. */
const DRIVER_MESSAGES = [
  /^timeout exceeded when trying to connect$/i,
  /^Connection terminated/i,
  /^Query read timeout$/i,
  /is not queryable$/i,
  /^Client was closed and is not queryable$/i,
  /^Connection ended unexpectedly$/i,
];

export function databaseUnavailable(error: unknown, depth = 0): string | null {
  if (!(error instanceof Error) || depth > 3) return null;
  const code = String((error as { code?: unknown }).code ?? '');
  if (NETWORK_CODES.has(code)) return `${code} ${(error as { address?: string }).address ?? ''}`.trim();
  if (SQLSTATES.test(code)) return `${code} ${error.message}`;
  if (DRIVER_MESSAGES.some((pattern) => pattern.test(error.message))) return error.message;
  // Connecting to `localhost` tries each address; Node reports them together.
  if (error instanceof AggregateError)
    for (const inner of error.errors) {
      const reason = databaseUnavailable(inner, depth + 1);
      if (reason) return reason;
    }
  if (error.cause) return databaseUnavailable(error.cause, depth + 1);
  return null;
}

/** Seconds a client is told to wait (Retry-After) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
