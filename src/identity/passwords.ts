import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords are stored as scrypt hashes (RFC 7914) with a random 16-byte salt:
 * `scrypt$N$r$p$salt$hash`, base64url. The parameters travel with the hash, so they can be
 * raised without breaking old hashes: a hash made with weaker ones is replaced at the next
 * successful login (needsRehash).
 *
 * N = 2^15, r = 8, p = 3: one of OWASP's equivalent minimum settings for scrypt (the
 * Password Storage Cheat Sheet lists 2^17/8/1, 2^16/8/2, 2^15/8/3, …). It keeps the memory
 * of one hash at 32 MiB (128·N·r), so the four libuv threads that hash logins at once need
 * 128 MiB at most, and buys the work with p instead (docs/decisions/0016-secrets-at-rest.md).
 */
export const PASSWORD_PARAMS = { N: 2 ** 15, r: 8, p: 3, keyLength: 32 } as const;
const { N, r: R, p: P, keyLength: KEY_LENGTH } = PASSWORD_PARAMS;

/** Bounds on parameters read back from a stored hash, so a damaged row cannot ask for gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface StoredHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return null;
  const params = { n: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(params.n) && params.n > 1 && (params.n & (params.n - 1)) === 0;
  if (!powerOfTwo || params.n > MAX_N) return null;
  if (!Number.isInteger(params.r) || params.r < 1 || params.r > MAX_R) return null;
  if (!Number.isInteger(params.p) || params.p < 1 || params.p > MAX_P) return null;
  return { ...params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.n, parsed.r, parsed.p);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** A stored hash made with weaker parameters than today's (or not ours): replace it at login. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return true;
  return parsed.n < N || parsed.r < R || parsed.p < P || parsed.hash.length < KEY_LENGTH;
}

/** A hash that matches no password, checked when the e-mail is unknown so timing does not tell. */
export const UNUSABLE_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;

/** A random password for a new account, when none is given. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
