import { createHash } from 'node:crypto';
import { appendAudit } from "../audit/log.js";
import { rateLimited, unauthenticated } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transact } from "../store/transact.js";
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from "./passwords.js";
import { randomToken, tokenHash } from "./secrets.js";
const WINDOW_MS = 15 * 60 * 1000;
/** An address gets more tries than an account (several people may share it), but not unlimited. */
const IP_FACTOR = 5;
/**
 * The CSRF token is derived from the session token, so it need not be stored; knowing it
 * reveals nothing of the session token. Cookie-authenticated changes must send it in the
 * `x-csrf-token` header (a page on another site can make the browser send the cookie, but
 * cannot read this token).
 */
export function csrfTokenFor(sessionToken) {
    return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}
export async function login(db, input, policy, now) {
    const email = input.email.toLowerCase();
    const since = new Date(now.getTime() - WINDOW_MS);
    const failures = await db
        .selectFrom('login_failures')
        .select(['email', 'ip', 'at'])
        .where('at', '>', since)
        .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', input.ip)]))
        .orderBy('at')
        .execute();
    const byAccount = failures.filter((f) => f.email === email);
    const byIp = failures.filter((f) => f.ip === input.ip);
    const blocking = byAccount.length >= policy.maxFailures
        ? byAccount
        : byIp.length >= policy.maxFailures * IP_FACTOR
            ? byIp
            : null;
    if (blocking) {
        const oldest = blocking[blocking.length - policy.maxFailures]?.at ?? blocking[0].at;
        const retryAfter = Math.max(1, Math.ceil((oldest.getTime() + WINDOW_MS - now.getTime()) / 1000));
        throw rateLimited('too many failed logins; wait before trying again', retryAfter);
    }
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
        await trx.insertInto('sessions').values(session).execute();
        await appendAudit(trx, { type: 'system', id: 'login' }, {
            action: 'session.created',
            objectType: 'user',
            objectId: user.id,
            change: { session_id: session.id, ip: input.ip, expires_at: session.expires_at },
        }, now);
    });
    return {
        token,
        csrfToken: csrfTokenFor(token),
        userId: user.id,
        sessionId: session.id,
        expiresAt: session.expires_at,
    };
}
export async function logout(db, sessionId, userId, now) {
    await transact(db, async (trx) => {
        await trx.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).execute();
        await appendAudit(trx, { type: 'system', id: 'logout' }, { action: 'session.ended', objectType: 'user', objectId: userId, change: { session_id: sessionId } }, now);
    });
}
