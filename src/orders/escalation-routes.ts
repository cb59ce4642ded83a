import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp, uuid } from '../http/schemas.ts';
import { escalationSteps } from '../policy/channel-policy.ts';
import { answerStep, escalationView, issueStep } from './escalation.ts';
import { fine, ladderSchema } from './escalation-schemas.ts';

const params = z.strictObject({ id: uuid });
/** SAMAN's escalation ladder on an order: both sides read it; the ministry issues; the platform answers. */
export const escalationRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/notices/:id/escalation',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['government channel'],
        summary:
          'SAMAN’s escalation ladder of an order: the steps issued, their deadlines, and what may come next',
        params,
        response: { 200: ladderSchema },
      },
    },
    async (request) => escalationView(ctx.db, request.actor!, request.params.id, ctx.clock()),
  );

  app.post(
    '/v1/notices/:id/escalation',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['government channel'],
        summary:
          'The issuing authority escalates a breached order one step (SAMAN): first warning, second warning with a fine, access-blocking recommendation',
        params,
        body: z.strictObject({
          step: z.enum(escalationSteps),
          legal_basis: text(2000)
            .optional()
            .describe('Defaults to the SOP policy’s legal basis for the step'),
          reasons: text(20_000),
          letter_reference: text(200).optional().describe('The number of the ministry’s letter'),
          fine: z
            .strictObject({
              amount: z.number().positive().max(1e15),
              currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. IDR'),
            })
            .optional()
            .describe('The administrative fine; required with the second warning'),
        }),
        response: {
          201: z.object({
            id: uuid,
            notice_id: uuid,
            step: z.enum(escalationSteps),
            position: z.number().int(),
            legal_basis: z.string(),
            letter_reference: z.string().nullable(),
            fine: fine.nullable(),
            due_at: timestamp,
            issued_at: timestamp,
            message_id: uuid,
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await issueStep(ctx.db, request.actor!, request.params.id, request.body, ctx.clock())),
  );

  app.post(
    '/v1/notices/:id/escalation/:stepId/answer',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary: 'The platform answers an escalation step in the notice’s thread',
        params: z.strictObject({ id: uuid, stepId: uuid }),
        body: z.strictObject({
          body: text(20_000),
          attachments: z.array(uuid).max(10).optional(),
        }),
        response: {
          201: z.object({
            id: uuid,
            notice_id: uuid,
            side: z.string(),
            kind: z.string(),
            status: z.string(),
            created_at: timestamp,
            step_id: uuid,
            step: z.enum(escalationSteps),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await answerStep(
            ctx.db,
            request.actor!,
            request.params.id,
            request.params.stepId,
            request.body,
            ctx.clock(),
          ),
        ),
  );
};
