import { scrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  PASSWORD_PARAMS,
  UNUSABLE_PASSWORD_HASH,
  verifyPassword,
} from '../../src/identity/passwords.ts';
import { generateApiKey, tokenHash } from '../../src/identity/secrets.ts';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * The hashing parameters reviewed in docs/decisions/0016-secrets-at-rest.md: passwords
 * get a slow, memory-hard KDF at OWASP's minimum or above; API keys and session tokens,
 * being long and random, a fast hash.
 */
const owaspScryptMinimums = [
  { N: 2 ** 17, p: 1 },
  { N: 2 ** 16, p: 2 },
  { N: 2 ** 15, p: 3 },
  { N: 2 ** 14, p: 5 },
  { N: 2 ** 13, p: 10 },
];

/** An scrypt hash in our format, with whatever parameters (what older releases stored). */
function legacyHash(password: string, N: number, r: number, p: number): Promise<string> {
  const salt = Buffer.alloc(16, 3);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error
        ? reject(error)
        : resolve(['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')),
    ),
  );
}

describe('password hashes', () => {
  it('use scrypt at or above an OWASP minimum, in bounded memory, with a 16-byte salt', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect({ N: Number(N), r: Number(r), p: Number(p) }).toEqual({
      N: PASSWORD_PARAMS.N,
      r: PASSWORD_PARAMS.r,
      p: PASSWORD_PARAMS.p,
    });
    expect(Number(r)).toBeGreaterThanOrEqual(8);
    expect(
      owaspScryptMinimums.some((min) => Number(N) >= min.N && Number(p) >= min.p),
      `N=${N} r=${r} p=${p} is below every OWASP minimum`,
    ).toBe(true);
    // 128·N·r bytes per hash: at most 64 MiB, so that concurrent logins cannot exhaust memory.
    expect(128 * Number(N) * Number(r)).toBeLessThanOrEqual(64 * 2 ** 20);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(await hashPassword('correct horse battery staple')).not.toBe(stored);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    // The stand-in for an unknown e-mail costs the same as a real check.
    expect(UNUSABLE_PASSWORD_HASH.split('$').slice(1, 4)).toEqual([N, r, p]);
  });

  it('made with weaker parameters still verify and are marked for a rehash; absurd ones are refused', async () => {
    const weak = await legacyHash('correct horse battery staple', 2 ** 14, 8, 1);
    expect(await verifyPassword('correct horse battery staple', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    // A damaged row cannot make a login allocate gigabytes: it is no match.
    const absurd = weak.replace('$16384$', `$${2 ** 30}$`);
    expect(await verifyPassword('correct horse battery staple', absurd)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(needsRehash('bcrypt$whatever')).toBe(true);
  });
});

describe('API keys and session tokens', () => {
  it('carry at least 190 bits of randomness, so a fast SHA-256 of them is enough', () => {
    const { key, secretHash } = generateApiKey();
    const secretPart = key.split('_').at(-1)!;
    expect(secretPart).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(32 * Math.log2(62)).toBeGreaterThan(190);
    expect(secretHash).toBe(tokenHash(key));
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('a login with a hash from an older release', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('succeeds and replaces the hash with one made with the current parameters', async () => {
    const weak = await legacyHash(DEMO_PASSWORD, 2 ** 14, 8, 1);
    await app.ctx.db
      .updateTable('users')
      .set({ password_hash: weak })
      .where('email', '=', 'auditor@platform.example')
      .execute();
    await app.loginAs('auditor@platform.example');
    const { password_hash } = await app.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'auditor@platform.example')
      .executeTakeFirstOrThrow();
    expect(password_hash).not.toBe(weak);
    expect(password_hash!.split('$').slice(1, 4).map(Number)).toEqual([
      PASSWORD_PARAMS.N,
      PASSWORD_PARAMS.r,
      PASSWORD_PARAMS.p,
    ]);
    expect(await verifyPassword(DEMO_PASSWORD, password_hash!)).toBe(true);
    // And the login after it works with the new hash.
    await app.loginAs('auditor@platform.example');
  });
});
