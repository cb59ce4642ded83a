import { z } from 'zod';
import type { RouteModule } from '../../http/route-module.ts';
import { idParams, timestamp, uuid } from '../../http/schemas.ts';
import { closeIncident, declareIncident, incidentView, listIncidents } from './incidents.ts';

const policy = z.strictObject({
  auto_action: z
    .strictObject({
      outcome: z.enum(['remove', 'restrict_in_jurisdiction', 'suspend', 'label']),
      territories: z
        .array(z.string().regex(/^[A-Z]{2}$/))
        .max(250)
        .optional(),
      label: z.string().max(200).optional(),
    })
    .nullable()
    .describe('Act at once on a match in the incident’s banks; null keeps matches for review'),
  deadline_hours: z
    .number()
    .positive()
    .max(24 * 30)
    .describe('The deadline of cases opened during the incident'),
});

/** Crisis mode (GIFCT Content Incident Protocol): declare, follow, close with a debrief. */
export const incidentRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/incidents',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['screening'],
        summary: 'Declare an incident: its banks follow a stricter policy until it expires',
        body: z.strictObject({
          name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lower-case letters, digits, . _ -'),
          description: z.string().trim().min(1).max(5000),
          bank_ids: z.array(uuid).min(1).max(100),
          policy,
          starts_at: timestamp.optional(),
          expires_at: timestamp,
        }),
      },
    },
    async (request, reply) => {
      const now = ctx.clock();
      const incident = await declareIncident(
        ctx.db,
        request.actor!,
        { ...request.body, starts_at: request.body.starts_at ?? now },
        now,
      );
      return reply.code(201).send(incident);
    },
  );

  app.get(
    '/v1/incidents',
    { config: { access: 'cases:read' }, schema: { tags: ['screening'], summary: 'Incidents, newest first' } },
    async () => ({ items: await listIncidents(ctx.db, ctx.clock()) }),
  );

  app.get(
    '/v1/incidents/:id',
    {
      config: { access: 'cases:read' },
      schema: { tags: ['screening'], summary: 'An incident with its timeline per minute', params: idParams },
    },
    async (request) => incidentView(ctx.db, request.params.id, ctx.clock()),
  );

  app.post(
    '/v1/incidents/:id/close',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['screening'],
        summary: 'Close an incident with its debrief',
        params: idParams,
        body: z.strictObject({
          summary: z.string().trim().min(1).max(10_000),
          lessons: z.string().trim().min(1).max(10_000).optional(),
        }),
      },
    },
    async (request) => closeIncident(ctx.db, request.actor!, request.params.id, request.body, ctx.clock()),
  );
};
