import { createHmac, timingSafeEqual } from 'node:crypto';
/**
 * How tapis signs its webhook calls, in the manner of Stripe's webhook signatures:
 *
 *   tapis-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The timestamp is inside the signed text, so a captured request cannot be replayed later
 * with a fresh time; receivers reject a `t` more than a tolerance (default 5 minutes) away
 * from their clock, and recognise a replay inside that window by its `idempotency-key`.
 * Verify over the raw bytes received, before any JSON parsing: re-serialising changes them.
 * A header may carry several `v1=` entries (e.g. while a secret is rotated); one match is
 * enough.
 */
export const signatureHeader = 'tapis-signature';
export function signatureFor(secret, timestamp, rawBody) {
    const hmac = createHmac('sha256', secret);
    hmac.update(`${timestamp}.`);
    hmac.update(rawBody);
    return hmac.digest('hex');
}
/** The header value for a body sent at `nowSeconds`. */
export function signWebhook(secret, rawBody, nowSeconds) {
    const t = Math.floor(nowSeconds);
    return `t=${t},v1=${signatureFor(secret, t, rawBody)}`;
}
export function verifyWebhookSignature(secret, header, rawBody, nowSeconds, toleranceSeconds = 300) {
    if (!header)
        return { ok: false, reason: 'missing' };
    let timestamp;
    const candidates = [];
    for (const part of header.split(',')) {
        const [key, value] = part.trim().split('=', 2);
        if (key === 't' && value && /^\d{1,12}$/.test(value))
            timestamp = Number(value);
        else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value))
            candidates.push(value);
    }
    if (timestamp === undefined || candidates.length === 0)
        return { ok: false, reason: 'malformed' };
    // Both directions: a timestamp from the future is as suspect as an old one.
    if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
        return { ok: false, reason: 'stale' };
    const expected = Buffer.from(signatureFor(secret, timestamp, rawBody), 'hex');
    const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
    return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
