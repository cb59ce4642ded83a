import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { PRIOR_LIMIT, priorCases } from './prior-cases.ts';

/** Prior cases on the same subject, beside the case file and authorised like it. */
export const priorCaseRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/cases/:id/prior',
    {
      config: { access: 'cases:read' },
      schema: {
        tags: ['review desk'],
        summary: `Prior cases on the same subject: the same target, or the same chat (a channel and its messages), newest first, with their outcomes (at most ${PRIOR_LIMIT})`,
        params: z.strictObject({ id: uuid }),
        querystring: z.strictObject({}),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                case_id: uuid,
                relation: z
                  .enum(['same_subject', 'same_chat'])
                  .describe('same_subject: the same target; same_chat: the chat, or another message of it'),
                subject_key: z.string(),
                subject_url: z.string().nullable(),
                status: z.string(),
                category: z.string(),
                jurisdiction: z.string(),
                outcome: z.string().nullable(),
                opened_at: timestamp,
                decided_at: timestamp.nullable(),
                closed_at: timestamp.nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await priorCases(ctx.db, request.params.id) }),
  );
};
