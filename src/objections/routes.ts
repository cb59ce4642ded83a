import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp, uuid } from '../http/schemas.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import { answerObjection } from './answer.ts';
import { listObjections, objectionView } from './queue.ts';
import { objectionOutcomes } from './rules.ts';
import { objectionSchema } from './schemas.ts';

const params = z.strictObject({ id: uuid });
/** Objections (SAMAN "sanggah"): the queue, one objection, and its reasoned answer. */
export const objectionRoutes: RouteModule = async (app, { ctx }) => {
  const thresholds = async () => (await currentPolicy(ctx.db)).document.at_risk_thresholds;

  app.get(
    '/v1/objections',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'Open objections, due first first; never those on decisions you made or approved, and only those you are routed to',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ items: z.array(objectionSchema) }) },
      },
    },
    async (request) => ({
      items: await listObjections(ctx.db, request.actor!, request.query, ctx.clock(), await thresholds()),
    }),
  );

  app.get(
    '/v1/objections/:id',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['government channel'],
        summary: 'An objection, its clock and its answer (a notifier: its own organisation’s only)',
        params,
        response: { 200: objectionSchema },
      },
    },
    async (request) =>
      objectionView(ctx.db, request.actor!, request.params.id, await thresholds(), ctx.clock()),
  );

  app.post(
    '/v1/objections/:id/answer',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'Answer the objection with reasons: the decision is maintained, or the case is reopened for a new decision',
        params,
        body: z.strictObject({
          outcome: z.enum(objectionOutcomes),
          reasons: text(20_000).describe(
            'Sent to the notifier in the thread and as notice.objection_answered',
          ),
        }),
        response: {
          200: z.object({
            objection_id: uuid,
            notice_id: uuid,
            outcome: z.enum(objectionOutcomes),
            notice_status: z.string(),
            message_id: uuid,
            answered_at: timestamp,
          }),
        },
      },
    },
    async (request) => answerObjection(ctx.db, request.actor!, request.params.id, request.body, ctx.clock()),
  );
};
