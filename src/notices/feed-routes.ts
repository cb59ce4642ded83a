import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { bigintParam, timestamp, uuid } from '../http/schemas.ts';
import { seesAllOrganisations } from '../identity/actor.ts';
import { noticeEventTypes } from './events.ts';
import {
  disableWebhook,
  listWebhooks,
  redeliverEvent,
  registerWebhook,
  webhookDeliveries,
} from './webhooks.ts';

const webhook = z.object({
  id: uuid,
  url: z.string(),
  event_types: z.array(z.string()),
  description: z.string().nullable(),
  created_at: timestamp,
  disabled_at: timestamp.nullable(),
});

/** How notifiers follow their notices: the event feed to poll, and webhooks to be told. */
export const feedRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/events',
    {
      config: { access: 'events:read' },
      schema: {
        tags: ['government channel'],
        summary: 'Notice events after a cursor, oldest first (a flagger sees its own organisation’s)',
        querystring: z.strictObject({
          after: bigintParam(0).default(0).describe('The cursor: the `cursor` of the last event you have'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          notice_id: uuid.optional(),
          type: z.enum(noticeEventTypes).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: uuid,
                cursor: z.number().int(),
                type: z.string(),
                notice_id: uuid,
                created_at: timestamp,
                data: z.unknown(),
              }),
            ),
            next_after: z
              .number()
              .int()
              .describe('Pass as `after` to continue; unchanged when there is nothing new'),
          }),
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      const q = request.query;
      let query = ctx.db
        .selectFrom('notice_events')
        .select(['id', 'seq as cursor', 'type', 'notice_id', 'at as created_at', 'data'])
        .where('seq', '>', q.after)
        .orderBy('seq')
        .limit(q.limit);
      if (!seesAllOrganisations(actor)) query = query.where('org_id', '=', actor.orgId);
      if (q.notice_id) query = query.where('notice_id', '=', q.notice_id);
      if (q.type) query = query.where('type', '=', q.type);
      const items = await query.execute();
      return { items, next_after: items.at(-1)?.cursor ?? q.after };
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { access: 'webhooks:manage' },
      schema: {
        tags: ['government channel'],
        summary: 'Your organisation’s webhooks',
        response: { 200: z.object({ items: z.array(webhook) }) },
      },
    },
    async (request) => ({ items: await listWebhooks(ctx.db, request.actor!) }),
  );

  app.post(
    '/v1/webhooks',
    {
      config: { access: 'webhooks:manage' },
      schema: {
        tags: ['government channel'],
        summary: 'Register a webhook; its signing secret is in this answer only',
        body: z.strictObject({
          url: z.url({ protocol: /^https?$/ }).max(2048),
          event_types: z
            .array(z.string().max(60))
            .max(30)
            .optional()
            .describe('Only these event types; all when absent'),
          description: z.string().trim().min(1).max(300).optional(),
        }),
        response: {
          201: z.object({
            webhook,
            secret: z.string().describe('HMAC-SHA256 key for the tapis-signature header'),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(
          await registerWebhook(
            ctx.db,
            request.actor!,
            request.body,
            { allowPrivateNetworks: ctx.config.TAPIS_ALLOW_PRIVATE_NETWORKS },
            ctx.clock(),
          ),
        ),
  );

  app.post(
    '/v1/webhooks/:id/disable',
    {
      config: { access: 'webhooks:manage' },
      schema: {
        tags: ['government channel'],
        summary: 'Stop delivering to a webhook',
        params: z.strictObject({ id: uuid }),
      },
    },
    async (request, reply) => {
      await disableWebhook(ctx.db, request.actor!, request.params.id, ctx.clock());
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { access: 'webhooks:manage' },
      schema: {
        tags: ['government channel'],
        summary: 'The delivery log: every attempt, and what is still queued',
        params: z.strictObject({ id: uuid }),
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: {
          200: z.object({
            attempts: z.array(
              z.object({
                id: uuid,
                event_id: uuid,
                event_type: z.string(),
                notice_id: uuid,
                attempt: z.number().int(),
                status_code: z.number().int().nullable(),
                error: z.string().nullable(),
                duration_ms: z.number().int(),
                at: timestamp,
              }),
            ),
            queue: z.array(
              z.object({
                event_id: uuid,
                status: z.string(),
                attempts: z.number().int(),
                next_attempt_at: timestamp,
                last_error: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => webhookDeliveries(ctx.db, request.actor!, request.params.id, request.query.limit),
  );

  app.post(
    '/v1/webhooks/:id/redeliver',
    {
      config: { access: 'webhooks:manage' },
      schema: {
        tags: ['government channel'],
        summary: 'Deliver an event again',
        params: z.strictObject({ id: uuid }),
        body: z.strictObject({ event_id: uuid }),
      },
    },
    async (request, reply) => {
      await redeliverEvent(ctx.db, request.actor!, request.params.id, request.body.event_id, ctx.clock());
      return reply.code(202).send();
    },
  );
};
