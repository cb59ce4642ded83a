import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { listActions } from './action-list.ts';

const action = z.object({
  id: uuid,
  case_id: uuid,
  decision_id: uuid,
  connector: z.string(),
  type: z.string(),
  subject: z.unknown(),
  status: z.string(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_at: timestamp,
  applied_at: timestamp.nullable(),
});

/** Enforcement actions, for leads: what failed, to fix its cause and retry (POST /v1/actions/{id}/retry). */
export const enforcementRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/actions',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['review desk'],
        summary: 'Enforcement actions, newest first, by status (default: failed)',
        querystring: z.strictObject({
          status: z.string().max(40).default('failed'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(action) }) },
      },
    },
    async (request) => ({ items: await listActions(ctx.db, request.query) }),
  );
};
