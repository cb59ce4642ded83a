import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/**
 * API keys and session tokens are long random strings. Only their SHA-256 is stored: with
 * 190+ bits of entropy a slow hash adds nothing, and a leaked table reveals no key.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomToken(length) {
    // Rejection sampling keeps every character equally likely.
    let out = '';
    while (out.length < length) {
        for (const byte of randomBytes(length * 2)) {
            if (byte < 248 && out.length < length)
                out += ALPHABET[byte % 62];
        }
    }
    return out;
}
export function tokenHash(token) {
    return createHash('sha256').update(token).digest('hex');
}
export function sameHash(a, b) {
    const x = Buffer.from(a, 'hex');
    const y = Buffer.from(b, 'hex');
    return x.length === y.length && timingSafeEqual(x, y);
}
const API_KEY = /^tapis_([A-Za-z0-9]{12})_([A-Za-z0-9]{32})$/;
/** `tapis_<12-char id>_<32-char secret>`: the prefix finds the row, the hash proves the key. */
export function generateApiKey() {
    const prefix = randomToken(12);
    const key = `tapis_${prefix}_${randomToken(32)}`;
    return { key, prefix, secretHash: tokenHash(key) };
}
export function parseApiKey(key) {
    const match = API_KEY.exec(key);
    return match ? { prefix: match[1] } : null;
}
