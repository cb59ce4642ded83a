import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp, uuid } from '../http/schemas.ts';
import {
  type MeasureInput,
  type MeasureKind,
  measurePublicNotifier,
  measuresOfNotifier,
} from './public-notifiers.ts';

const measure = z.object({
  id: uuid,
  kind: z.enum(['warning', 'suspension']),
  notice_id: uuid,
  reason: z.string(),
  until: timestamp.nullable(),
  issued_by: z.string(),
  at: timestamp,
});

/** DSA Art. 23(2) for one member of the public, known by the e-mail of one of their notices. */
export const publicNotifierRoutes: RouteModule = async (app, { ctx }) => {
  for (const [kind, path] of [
    ['warning', 'warnings'],
    ['suspension', 'suspensions'],
  ] as [MeasureKind, string][]) {
    app.post(
      `/v1/public-notifiers/${path}`,
      {
        config: { access: 'cases:lead' },
        schema: {
          tags: ['flaggers'],
          summary:
            kind === 'warning'
              ? 'Warn the member of the public who sent this notice for manifestly unfounded notices (DSA Art. 23(2))'
              : 'Suspend the notices of the member of the public who sent this notice until a date; only after a warning (DSA Art. 23(2))',
          body: z.strictObject({
            notice_id: uuid.describe(
              'A notice of theirs, sent through the public form with a name and e-mail',
            ),
            reason: text(10_000),
            ...(kind === 'suspension' ? { until: timestamp } : {}),
          }),
          response: { 201: measure },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await measurePublicNotifier(
              ctx.db,
              request.actor!,
              kind,
              request.body as MeasureInput,
              ctx.clock(),
            ),
          ),
    );
  }

  app.get(
    '/v1/public-notifiers/measures',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary: 'The warnings and suspensions of the member of the public who sent this notice',
        querystring: z.strictObject({ notice_id: uuid }),
        response: { 200: z.object({ items: z.array(measure) }) },
      },
    },
    async (request) => ({ items: await measuresOfNotifier(ctx.db, request.query.notice_id) }),
  );
};
