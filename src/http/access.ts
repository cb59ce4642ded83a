import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { forbidden, unauthenticated } from '../core/errors.ts';
import type { Actor } from '../identity/actor.ts';
import { type Authentication, authenticateApiKey, authenticateSession } from '../identity/authenticate.ts';
import type { Permission } from '../identity/permissions.ts';
import { csrfTokenFor } from '../identity/sessions.ts';
import type { AppContext } from '../runtime/context.ts';
import { RateLimiter } from './rate-limit.ts';

/**
 * Who may call a route is declared on the route (`config.access`) and enforced here, in
 * one place:
 * - `'public'`: anyone;
 * - `'authenticated'`: any logged-in user or valid API key;
 * - a permission: callers whose roles (users) or scopes (API keys) grant it.
 * A route without a declaration fails start-up.
 */
export type Access = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A public route that reads its own bearer token (GET /metrics): not an API key. */
    ownBearerToken?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'tapis_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every route the server has, with its declared access; the authorisation matrix test reads it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export function registerAccessControl(app: FastifyInstance, ctx: AppContext, routes: RouteAccess[]): void {
  app.decorateRequest('actor', null);
  const limitRate = rateLimits(ctx);

  // Routes are checked once all are registered: a plugin's own onRoute hook (see
  // src/http/openapi.ts) may declare access after this one has seen the route.
  const seen: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    seen.push(route);
  });
  app.addHook('onReady', async () => {
    for (const route of seen) {
      const access = route.config?.access;
      if (!access)
        throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === 'public' && request.routeOptions.config.ownBearerToken) {
      request.actor = null;
      return;
    }
    const auth = await authenticate(request, ctx);
    if (auth && 'failure' in auth) throw unauthenticated(auth.failure);
    request.actor = auth?.actor ?? null;
    if (access === 'public' || access === undefined) return;
    if (!request.actor) throw unauthenticated('log in, or send an API key as Authorization: Bearer tapis_…');
    await limitRate(request.actor);
    if (request.actor.sessionId && !SAFE_METHODS.has(request.method)) checkCsrf(request);
    if (access !== 'authenticated' && !request.actor.permissions.has(access)) {
      throw forbidden(
        `this needs the '${access}' permission, which your ${request.actor.type === 'key' ? 'API key' : 'roles'} do not grant`,
      );
    }
  });
}

/** Rate limits per organisation and per API key: a 429 with Retry-After past them. */
function rateLimits(ctx: AppContext): (actor: Actor) => Promise<void> {
  const limiter = new RateLimiter();
  // An organisation's own limit, re-read every 30 seconds.
  const orgLimits = new Map<string, { perMinute: number | null; at: number }>();
  return async (actor) => {
    const now = ctx.clock().getTime();
    let limit = orgLimits.get(actor.orgId);
    if (!limit || Math.abs(now - limit.at) > 30_000) {
      const org = await ctx.db
        .selectFrom('organisations')
        .select('rate_limit_per_minute')
        .where('id', '=', actor.orgId)
        .executeTakeFirst();
      limit = { perMinute: org?.rate_limit_per_minute ?? null, at: now };
      orgLimits.set(actor.orgId, limit);
    }
    limiter.take(
      `org:${actor.orgId}`,
      limit.perMinute ?? ctx.config.TAPIS_RATE_LIMIT_ORG_PER_MINUTE,
      now,
      'your organisation',
    );
    if (actor.type === 'key')
      limiter.take(`key:${actor.id}`, ctx.config.TAPIS_RATE_LIMIT_KEY_PER_MINUTE, now, 'this API key');
  };
}

async function authenticate(request: FastifyRequest, ctx: AppContext): Promise<Authentication | null> {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token) return { failure: 'use Authorization: Bearer tapis_…' };
    return authenticateApiKey(ctx.db, token.trim(), ctx.clock());
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const auth = await authenticateSession(ctx.db, cookie, ctx.clock());
    // A stale cookie on a public page is no reason to refuse it.
    if ('failure' in auth && request.routeOptions.config.access === 'public') return null;
    return auth;
  }
  return null;
}

function checkCsrf(request: FastifyRequest): void {
  const sent = request.headers['x-csrf-token'];
  const token = request.cookies[SESSION_COOKIE];
  if (typeof sent !== 'string' || !token || sent !== csrfTokenFor(token)) {
    throw forbidden(
      'a change made with a session cookie needs the x-csrf-token header (its value is in the login answer and in GET /v1/me)',
    );
  }
}
