import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/log.ts';
import { rateLimited, unauthenticated } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { accountRule, addressRule, LOGIN_WINDOW_MS, msUntilAllowed } from './login-throttle.ts';
import { hashPassword, needsRehash, UNUSABLE_PASSWORD_HASH, verifyPassword } from './passwords.ts';
import { randomToken, tokenHash } from './secrets.ts';

export interface LoginPolicy {
  sessionHours: number;
  /** Failed attempts per account within 15 minutes that cost no wait (src/identity/login-throttle.ts). */
  maxFailures: number;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * The CSRF token is derived from the session token, so it need not be stored; knowing it
 * reveals nothing of the session token. Cookie-authenticated changes must send it in the
 * `x-csrf-token` header (a page on another site can make the browser send the cookie, but
 * cannot read this token).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export async function login(
  db: Db,
  input: { email: string; password: string; ip: string },
  policy: LoginPolicy,
  now: Date,
): Promise<LoginResult> {
  const email = input.email.toLowerCase();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const failures = await db
    .selectFrom('login_failures')
    .select(['email', 'ip', 'at'])
    .where('at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', input.ip)]))
    .orderBy('at')
    .execute();
  const byAccount = failures.filter((f) => f.email === email).map((f) => f.at);
  const byIp = failures.filter((f) => f.ip === input.ip).map((f) => f.at);
  const waitMs = Math.max(
    msUntilAllowed(accountRule(policy.maxFailures), byAccount, now),
    msUntilAllowed(addressRule(policy.maxFailures), byIp, now),
  );
  // Refused before the password is checked, and not counted: waiting is all it takes.
  if (waitMs > 0)
    throw rateLimited(
      `too many failed logins; try again in ${Math.ceil(waitMs / 1000)} s`,
      Math.ceil(waitMs / 1000),
    );

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('email', '=', email)
    .executeTakeFirst();
  // Verify even for an unknown e-mail, so the answer's timing does not reveal which exist.
  const ok = await verifyPassword(input.password, user?.password_hash ?? UNUSABLE_PASSWORD_HASH);
  if (!user || !ok || user.disabled_at) {
    await db.insertInto('login_failures').values({ email, ip: input.ip, at: now }).execute();
    throw unauthenticated('wrong e-mail or password');
  }

  // A hash made with older, weaker parameters is replaced now that the password is known.
  const stored = user.password_hash;
  const rehashed = stored && needsRehash(stored) ? await hashPassword(input.password) : null;
  const token = randomToken(43);
  const session = {
    id: newId(),
    user_id: user.id,
    token_hash: tokenHash(token),
    created_at: now,
    expires_at: new Date(now.getTime() + policy.sessionHours * 3600 * 1000),
  };
  await transact(db, async (trx) => {
    await trx.deleteFrom('login_failures').where('email', '=', email).execute();
    if (rehashed && stored)
      await trx
        .updateTable('users')
        .set({ password_hash: rehashed })
        .where('id', '=', user.id)
        .where('password_hash', '=', stored)
        .execute();
    await trx.insertInto('sessions').values(session).execute();
    await appendAudit(
      trx,
      { type: 'system', id: 'login' },
      {
        action: 'session.created',
        objectType: 'user',
        objectId: user.id,
        change: { session_id: session.id, ip: input.ip, expires_at: session.expires_at },
      },
      now,
    );
  });
  return {
    token,
    csrfToken: csrfTokenFor(token),
    userId: user.id,
    sessionId: session.id,
    expiresAt: session.expires_at,
  };
}

export async function logout(db: Db, sessionId: string, userId: string, now: Date): Promise<void> {
  await transact(db, async (trx) => {
    await trx.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).execute();
    await appendAudit(
      trx,
      { type: 'system', id: 'logout' },
      { action: 'session.ended', objectType: 'user', objectId: userId, change: { session_id: sessionId } },
      now,
    );
  });
}
