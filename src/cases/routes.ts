import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, languageCode, timestamp, uuid } from '../http/schemas.ts';
import { caseView } from './case-view.ts';
import { claimCase, commentOnCase, escalateCase, listQueue, reassignCase, releaseCase } from './queue.ts';

const params = z.strictObject({ id: uuid });
const caseState = z.object({
  id: uuid,
  status: z.string(),
  assigned_to: uuid.nullable(),
  lease_until: timestamp.nullable(),
  last_event_seq: z.number().int(),
});
const toState = (row: {
  id: string;
  status: string;
  assigned_to: string | null;
  lease_until: Date | null;
  last_event_seq: number;
}) => ({
  id: row.id,
  status: row.status,
  assigned_to: row.assigned_to,
  lease_until: row.lease_until,
  last_event_seq: row.last_event_seq,
});

/** The review queue, leases, and the case file. */
export const caseRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/queue',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Open cases you may work on, the one to work next first',
        querystring: z.strictObject({
          jurisdiction: countryCode.optional(),
          category: z.string().max(40).optional(),
          source: z
            .enum(['trusted_flagger', 'government_order', 'regular_notice', 'automated_detection'])
            .optional(),
          language: languageCode.optional(),
          mine: z
            .enum(['true', 'false'])
            .optional()
            .transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce
            .number()
            .int()
            .min(0)
            .max(1_000_000)
            .default(0)
            .describe('Rows to skip, to page on'),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                case_id: uuid,
                subject_key: z.string(),
                subject: z.unknown(),
                status: z.string(),
                jurisdiction: z.string(),
                category: z.string(),
                severity: z.number().int(),
                trusted: z.boolean(),
                language: z.string(),
                notice_count: z.number().int(),
                notice_ids: z.array(z.string()),
                hash_match_confidence: z.number().nullable(),
                due_at: timestamp.nullable(),
                legal_due_at: timestamp.nullable(),
                priority: z.number().int(),
                escalated: z.boolean(),
                held_by_me: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listQueue(ctx.db, request.actor!, request.query, ctx.clock()) }),
  );

  app.get(
    '/v1/cases/:id',
    {
      config: { access: 'cases:read', auditRead: { object: 'case', param: 'id' } },
      schema: {
        tags: ['review desk'],
        summary: 'The case file: its notices, decisions, actions and event log',
        params,
      },
    },
    async (request) => caseView(ctx.db, request.params.id, ctx.clock()),
  );

  app.post(
    '/v1/cases/:id/claim',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Claim the case (a 5-minute lease), or renew your lease',
        params,
        response: { 200: caseState },
      },
    },
    async (request) => toState(await claimCase(ctx.db, request.actor!, request.params.id, ctx.clock())),
  );

  app.post(
    '/v1/cases/:id/release',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Give the case back to the queue',
        params,
        response: { 200: caseState },
      },
    },
    async (request) => toState(await releaseCase(ctx.db, request.actor!, request.params.id, ctx.clock())),
  );

  app.post(
    '/v1/cases/:id/assign',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['review desk'],
        summary: 'A lead hands the case to a reviewer',
        params,
        body: z.strictObject({ reviewer_id: uuid }),
        response: { 200: caseState },
      },
    },
    async (request) =>
      toState(
        await reassignCase(ctx.db, request.actor!, request.params.id, request.body.reviewer_id, ctx.clock()),
      ),
  );

  app.post(
    '/v1/cases/:id/escalate',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Escalate the case to a lead',
        params,
        body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
        response: { 200: caseState },
      },
    },
    async (request) =>
      toState(
        await escalateCase(ctx.db, request.actor!, request.params.id, request.body.reason, ctx.clock()),
      ),
  );

  app.post(
    '/v1/cases/:id/comments',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Comment on the case (internal)',
        params,
        body: z.strictObject({ body: z.string().trim().min(1).max(20_000) }),
        response: { 201: caseState },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          toState(
            await commentOnCase(ctx.db, request.actor!, request.params.id, request.body.body, ctx.clock()),
          ),
        ),
  );
};
