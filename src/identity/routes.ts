import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import { SESSION_COOKIE } from '../http/access.ts';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, email, languageCode, slug, text, timestamp, uuid } from '../http/schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { createOrganisation, findOrganisation, listOrganisations } from './organisations.ts';
import { allPermissions, orgKinds, roles } from './permissions.ts';
import { csrfTokenFor, login, logout } from './sessions.ts';
import { createUser, disableUser, listUsers } from './users.ts';

const organisation = z.object({
  id: uuid,
  slug,
  name: z.string(),
  kind: z.enum(orgKinds),
  flagger_status: z.enum(['trusted', 'regular', 'suspended']).nullable(),
  contact_email: z.string().nullable(),
  created_at: timestamp,
});

const user = z.object({
  id: uuid,
  org_id: uuid,
  org: z.string(),
  email: z.string(),
  display_name: z.string(),
  roles: z.array(z.string()),
  languages: z.array(z.string()),
  jurisdictions: z.array(z.string()),
  disabled: z.boolean(),
  created_at: timestamp,
});

const apiKey = z.object({
  id: uuid,
  org: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  expires_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
});

const me = z.object({
  type: z.enum(['user', 'key']),
  id: uuid,
  display_name: z.string(),
  org: z.object({ id: uuid, slug: z.string(), kind: z.enum(orgKinds) }),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  languages: z.array(z.string()),
  jurisdictions: z.array(z.string()),
  csrf_token: z
    .string()
    .nullable()
    .describe('Send it as x-csrf-token on changes made with the session cookie'),
});

export const identityRoutes: RouteModule = async (app, { ctx }) => {
  const now = () => ctx.clock();
  // These answers carry secrets (a session, a new key, a generated password) or who the
  // caller is: no cache, shared or private, may keep them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post(
    '/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Log in to the console; sets an HttpOnly session cookie',
        body: z.strictObject({ email: z.string().max(254), password: z.string().min(1).max(1024) }),
        response: { 200: z.object({ user_id: uuid, csrf_token: z.string(), expires_at: timestamp }) },
      },
    },
    async (request, reply) => {
      const result = await login(
        ctx.db,
        { email: request.body.email, password: request.body.password, ip: request.ip },
        { sessionHours: ctx.config.TAPIS_SESSION_HOURS, maxFailures: ctx.config.TAPIS_LOGIN_MAX_FAILURES },
        now(),
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.cookieSecure,
        path: '/',
        expires: result.expiresAt,
      });
      return { user_id: result.userId, csrf_token: result.csrfToken, expires_at: result.expiresAt };
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['identity'], summary: 'End the console session' },
    },
    async (request, reply) => {
      const actor = request.actor!;
      if (!actor.sessionId) throw invalid('an API key has no session to end; revoke the key instead');
      await logout(ctx.db, actor.sessionId, actor.id, now());
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['identity'], summary: 'Who the caller is, and what it may do', response: { 200: me } },
    },
    async (request) => {
      const actor = request.actor!;
      const cookie = request.cookies[SESSION_COOKIE];
      return {
        type: actor.type,
        id: actor.id,
        display_name: actor.displayName,
        org: { id: actor.orgId, slug: actor.orgSlug, kind: actor.orgKind },
        roles: [...actor.roles],
        permissions: [...actor.permissions].sort(),
        languages: [...actor.languages],
        jurisdictions: [...actor.jurisdictions],
        csrf_token: actor.sessionId && cookie ? csrfTokenFor(cookie) : null,
      };
    },
  );

  app.get(
    '/v1/orgs',
    {
      config: { access: 'orgs:read' },
      schema: {
        tags: ['identity'],
        summary: 'List organisations',
        response: { 200: z.object({ items: z.array(organisation) }) },
      },
    },
    async () => ({ items: await listOrganisations(ctx.db) }),
  );

  app.get(
    '/v1/orgs/:slug',
    {
      config: { access: 'orgs:read' },
      schema: {
        tags: ['identity'],
        summary: 'Read an organisation',
        params: z.strictObject({ slug }),
        response: { 200: organisation },
      },
    },
    async (request) => findOrganisation(ctx.db, request.params.slug),
  );

  app.post(
    '/v1/orgs',
    {
      config: { access: 'orgs:write' },
      schema: {
        tags: ['identity'],
        summary: 'Create an organisation',
        body: z.strictObject({
          slug,
          name: text(200),
          kind: z.enum(orgKinds),
          // No flagger_status: a new flagger organisation is a regular notifier, and trusted
          // or suspended status is a decision with reasons (POST /v1/flaggers/{slug}/status).
          contact_email: email.optional(),
        }),
        response: { 201: organisation },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOrganisation(ctx.db, request.actor!, request.body, now())),
  );

  app.get(
    '/v1/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['identity'],
        summary: 'List users (a flagger_admin sees its own organisation’s)',
        querystring: z.strictObject({ org: slug.optional() }),
        response: { 200: z.object({ items: z.array(user) }) },
      },
    },
    async (request) => ({ items: await listUsers(ctx.db, request.actor!, request.query.org) }),
  );

  app.post(
    '/v1/users',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['identity'],
        summary: 'Create a user; a generated password is returned once when none is given',
        body: z.strictObject({
          org: slug,
          email,
          display_name: text(200),
          roles: z.array(z.enum(roles)).min(1).max(roles.length),
          languages: z.array(languageCode).max(20).optional(),
          jurisdictions: z.array(countryCode).max(250).optional(),
          password: z.string().min(12).max(1024).optional(),
        }),
        response: { 201: z.object({ user, password: z.string().nullable() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createUser(ctx.db, request.actor!, request.body, now())),
  );

  app.post(
    '/v1/users/:id/disable',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['identity'],
        summary: 'Disable a user and end their sessions',
        params: z.strictObject({ id: uuid }),
      },
    },
    async (request, reply) => {
      await disableUser(ctx.db, request.actor!, request.params.id, now());
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/orgs/:slug/keys',
    {
      config: { access: 'keys:read' },
      schema: {
        tags: ['identity'],
        summary: 'List an organisation’s API keys (never the keys themselves)',
        params: z.strictObject({ slug }),
        response: { 200: z.object({ items: z.array(apiKey) }) },
      },
    },
    async (request) => ({ items: await listApiKeys(ctx.db, request.actor!, request.params.slug) }),
  );

  app.post(
    '/v1/orgs/:slug/keys',
    {
      config: { access: 'keys:write' },
      schema: {
        tags: ['identity'],
        summary: 'Create an API key; the key is in this answer and nowhere else, ever',
        params: z.strictObject({ slug }),
        body: z.strictObject({
          name: text(100),
          scopes: z
            .array(z.enum(allPermissions as [string, ...string[]]))
            .min(1)
            .optional(),
          expires_at: timestamp.optional(),
        }),
        response: { 201: z.object({ key: z.string(), api_key: apiKey }) },
      },
    },
    async (request, reply) => {
      const { key, view } = await createApiKey(
        ctx.db,
        request.actor!,
        {
          org: request.params.slug,
          name: request.body.name,
          scopes: request.body.scopes as never,
          expires_at: request.body.expires_at,
        },
        now(),
      );
      return reply.code(201).send({ key, api_key: view });
    },
  );

  app.post(
    '/v1/keys/:id/revoke',
    {
      config: { access: 'keys:write' },
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API key at once',
        params: z.strictObject({ id: uuid }),
        response: { 200: apiKey },
      },
    },
    async (request) => revokeApiKey(ctx.db, request.actor!, request.params.id, now()),
  );
};
