import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
/**
 * Passwords are stored as scrypt hashes (RFC 7914) with a random salt:
 * `scrypt$N$r$p$salt$hash`, base64url. The parameters travel with the hash so they can be
 * raised later without breaking old ones.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
function derive(password, salt, n, r, p) {
    return new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (error, key) => error ? reject(error) : resolve(key));
    });
}
export async function hashPassword(password) {
    const salt = randomBytes(16);
    const key = await derive(password, salt, N, R, P);
    return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}
export async function verifyPassword(password, stored) {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash)
        return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
}
/** A hash that matches no password, checked when the e-mail is unknown so timing does not tell. */
export const UNUSABLE_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;
/** A random password for a new account, when none is given. */
export function generatePassword() {
    return randomBytes(15).toString('base64url');
}
