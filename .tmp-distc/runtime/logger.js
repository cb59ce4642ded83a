import pino, {} from 'pino';
/**
 * Logs carry ids, never content or secrets: credentials in headers are redacted, request
 * bodies are not logged, and database errors lose the query parameters they carry (which
 * may hold a notice's text or a token hash).
 */
export const redactedPaths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-csrf-token"]',
    'res.headers["set-cookie"]',
    '*.password',
    '*.token',
];
function serializeError(error) {
    if (!(error instanceof Error))
        return { message: String(error) };
    const { code, routine, severity } = error;
    return { type: error.name, message: error.message, code, routine, severity, stack: error.stack };
}
export function createLogger(level, destination) {
    return pino({
        level,
        redact: { paths: redactedPaths, censor: '[redacted]' },
        serializers: { err: serializeError },
    }, destination);
}
