import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, slug, text, timestamp, uuid } from '../http/schemas.ts';
import { orderKindCodes } from '../policy/channel-policy.ts';
import { listRegistrations, registerIssuer, revokeRegistration } from './issuer-registry.ts';

const registration = z.object({
  id: uuid,
  org: z.string(),
  authority: z.string(),
  jurisdictions: z.array(z.string()),
  order_kinds: z.array(z.string()),
  note: z.string().nullable(),
  registered_by: z.string(),
  registered_at: timestamp,
  revoked_at: timestamp.nullable(),
  revoked_by: z.string().nullable(),
  revoke_reason: z.string().nullable(),
});

/** The issuer registry: which authorities an organisation may issue orders as, kept by admins. */
export const issuerRegistryRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/orgs/:slug/issuer-registrations',
    {
      config: { access: 'orgs:read' },
      schema: {
        tags: ['identity'],
        summary: 'The authorities, jurisdictions and order kinds the organisation may issue orders as',
        params: z.strictObject({ slug }),
        response: { 200: z.object({ items: z.array(registration) }) },
      },
    },
    async (request) => ({ items: await listRegistrations(ctx.db, request.params.slug) }),
  );

  app.post(
    '/v1/orgs/:slug/issuer-registrations',
    {
      config: { access: 'orgs:write' },
      schema: {
        tags: ['identity'],
        summary:
          'Register an authority the organisation issues orders as, with its jurisdictions and order kinds (audited)',
        params: z.strictObject({ slug }),
        body: z.strictObject({
          authority: text(300).describe('As the orders name it in order.issuing_authority'),
          jurisdictions: z.array(countryCode).min(1).max(250),
          order_kinds: z.array(z.enum(orderKindCodes)).min(1).max(orderKindCodes.length),
          note: text(2000).optional().describe('e.g. the act that designates the authority'),
        }),
        response: { 201: registration },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await registerIssuer(ctx.db, request.actor!, request.params.slug, request.body, ctx.clock())),
  );

  app.post(
    '/v1/issuer-registrations/:id/revoke',
    {
      config: { access: 'orgs:write' },
      schema: {
        tags: ['identity'],
        summary:
          'Revoke a registration: the organisation can no longer issue orders as that authority (audited)',
        params: z.strictObject({ id: uuid }),
        body: z.strictObject({ reason: text(2000) }),
        response: { 200: registration },
      },
    },
    async (request) =>
      revokeRegistration(ctx.db, request.actor!, request.params.id, request.body.reason, ctx.clock()),
  );
};
