export async function postJson(url, body, headers, timeoutMs) {
    try {
        const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
            signal: AbortSignal.timeout(timeoutMs),
            redirect: 'error',
        });
        const text = await response.text();
        return { kind: 'answered', status: response.status, headers: response.headers, text };
    }
    catch (error) {
        return { kind: 'unreachable', detail: describeNetworkError(error, timeoutMs) };
    }
}
function describeNetworkError(error, timeoutMs) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return `no answer within ${timeoutMs} ms`;
    }
    const cause = error instanceof Error ? error.cause : undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    switch (code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
            return 'connection closed before an answer';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'host name did not resolve';
        default:
            return code ? `network error (${code})` : 'network error';
    }
}
/**
 * Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds
 * from `now`, or undefined when absent or unreadable.
 */
export function retryAfterMs(header, now) {
    if (header === null)
        return undefined;
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
/** Parses JSON without throwing; `undefined` when the text is not JSON. */
export function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
