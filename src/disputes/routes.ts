import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp, uuid } from '../http/schemas.ts';
import {
  type DisputeChange,
  disputeOutcomes,
  listDisputes,
  recordDispute,
  updateDispute,
} from './out-of-court.ts';

const dispute = z.object({
  id: uuid,
  decision_id: uuid,
  body_name: z.string(),
  body_certified_by: z.string().nullable(),
  brought_by: z.enum(['affected_user', 'notifier']),
  reference: z.string().nullable(),
  submitted_at: timestamp,
  outcome: z.string().nullable(),
  decided_at: timestamp.nullable(),
  implemented_at: timestamp.nullable(),
  recorded_by: z.string(),
  recorded_at: timestamp,
  updated_at: timestamp,
});

/** Out-of-court disputes (DSA Art. 21), recorded for the transparency report (DSA Art. 24(1)(a)). */
export const disputeRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/out-of-court-disputes',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['appeals'],
        summary: 'Record a dispute brought to a certified out-of-court body against a decision (DSA Art. 21)',
        body: z.strictObject({
          decision_id: uuid,
          body_name: text(300).describe('The certified body, as certified'),
          body_certified_by: text(300)
            .optional()
            .describe('The Digital Services Coordinator that certified it'),
          brought_by: z.enum(['affected_user', 'notifier']),
          reference: text(200).optional().describe('The body’s case number'),
          submitted_at: timestamp.describe('When the dispute was brought to the body'),
        }),
        response: { 201: dispute },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordDispute(ctx.db, request.actor!, request.body, ctx.clock())),
  );

  app.patch(
    '/v1/out-of-court-disputes/:id',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['appeals'],
        summary:
          'Record the body’s outcome and date, and when the platform implemented a decision that overturned or changed its own',
        params: z.strictObject({ id: uuid }),
        body: z.strictObject({
          outcome: z.enum(disputeOutcomes).optional(),
          decided_at: timestamp.optional(),
          implemented_at: timestamp.optional(),
          reference: text(200).optional(),
        }),
        response: { 200: dispute },
      },
    },
    async (request) =>
      updateDispute(ctx.db, request.actor!, request.params.id, request.body as DisputeChange, ctx.clock()),
  );

  app.get(
    '/v1/out-of-court-disputes',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['appeals'],
        summary: 'Out-of-court disputes, newest first (500 at most)',
        querystring: z.strictObject({ decision_id: uuid.optional() }),
        response: { 200: z.object({ items: z.array(dispute) }) },
      },
    },
    async (request) => ({ items: await listDisputes(ctx.db, request.query) }),
  );
};
