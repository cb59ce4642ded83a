import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, periodBound, slug, text, timestamp, uuid } from '../http/schemas.ts';
import { alertRoutes } from './alert-routes.ts';
import { evidenceCsv, evidencePack } from './evidence-pack.ts';
import { flaggerDetail, flaggerSummaries } from './flagger-view.ts';
import { hearingRoutes } from './hearing-routes.ts';
import { precisionSettings } from './precision-review.ts';
import { flaggerStatuses } from './status.ts';
import { changeFlaggerStatus } from './status-changes.ts';
import { warnFlagger } from './warnings.ts';

const figure = z.object({
  precision: z.number().nullable(),
  upheld: z.number().int(),
  not_upheld: z.number().int(),
  decided: z.number().int(),
  reversed_on_appeal: z.number().int(),
  overturned_for_notifier: z.number().int(),
  notices: z.number().int(),
  excluded: z.number().int(),
  undecided: z.number().int(),
});

const summary = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.string(),
  flagger_status: z.enum(flaggerStatuses),
  status_since: timestamp.nullable(),
  suspended_until: timestamp.nullable(),
  designated_by: z.string().nullable(),
  designated_categories: z.array(z.string()),
  designated_jurisdictions: z.array(z.string()),
  figures: z.object({ last_90_days: figure, all_time: figure }),
  below_threshold: z.boolean(),
});

const statusChange = z.object({
  id: uuid,
  from_status: z.string().nullable(),
  to_status: z.string(),
  reasons: z.string(),
  decided_by: z.string(),
  effective_at: timestamp,
  until: timestamp.nullable(),
});

const params = z.strictObject({ slug });

/** Trusted-flagger governance (DSA Art. 22, 23(2)): figures, status decisions, warnings, the evidence pack; and leads' alerts. */
export const flaggerRoutes: RouteModule = async (app, options) => {
  const { ctx } = options;
  const settings = () => precisionSettings(ctx.config);

  app.get(
    '/v1/flaggers',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['flaggers'],
        summary: 'Flagger organisations: status, designation and precision (90 days and all time)',
        response: { 200: z.object({ items: z.array(summary) }) },
      },
    },
    async () => ({ items: await flaggerSummaries(ctx.db, settings(), ctx.clock()) }),
  );

  app.get(
    '/v1/flaggers/:slug',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['flaggers'],
        summary: 'One flagger: figures, status history, warnings and precision alerts',
        params,
        response: {
          200: summary.extend({
            threshold: z.number(),
            min_decided: z.number().int(),
            status_history: z.array(statusChange),
            warnings: z.array(
              z.object({ id: uuid, reason: z.string(), issued_by: z.string(), at: timestamp }),
            ),
            alerts: z.array(
              z.object({
                id: uuid,
                kind: z.string(),
                data: z.unknown(),
                created_at: timestamp,
                acknowledged_by: z.string().nullable(),
                acknowledged_at: timestamp.nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => flaggerDetail(ctx.db, request.params.slug, settings(), ctx.clock()),
  );

  app.post(
    '/v1/flaggers/:slug/status',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Decide a flagger’s status, with reasons: trusted (with its designation), regular, or suspended until a date (after a warning)',
        params,
        body: z.strictObject({
          status: z.enum(flaggerStatuses),
          reasons: text(10_000),
          designated_by: text(300).optional(),
          designated_categories: z.array(z.string().max(40)).max(100).optional(),
          designated_jurisdictions: z.array(countryCode).max(300).optional(),
          until: timestamp.optional(),
        }),
        response: { 201: statusChange },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await changeFlaggerStatus(ctx.db, request.actor!, request.params.slug, request.body, ctx.clock()),
        ),
  );

  app.post(
    '/v1/flaggers/:slug/warnings',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Warn a notifier that sends manifestly unfounded notices (DSA Art. 23(2)); cited notices get the warning in their thread',
        params,
        body: z.strictObject({ reason: text(10_000), notice_ids: z.array(uuid).max(100).optional() }),
        response: {
          201: z.object({
            id: uuid,
            reason: z.string(),
            issued_by: z.string(),
            at: timestamp,
            notice_ids: z.array(uuid),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await warnFlagger(ctx.db, request.actor!, request.params.slug, request.body, ctx.clock())),
  );

  app.get(
    '/v1/flaggers/:slug/evidence-pack',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['flaggers'],
        summary:
          'The notices and decisions behind the figure, for the designating authority (JSON or CSV); audited',
        params,
        querystring: z.strictObject({
          format: z.enum(['json', 'csv']).default('json'),
          from: periodBound('start')
            .optional()
            .describe(
              'Decided at or after (a timestamp, or a date: from its start, UTC); default 90 days before `to`',
            ),
          to: periodBound('end')
            .optional()
            .describe('Decided at or before (a timestamp, or a date: to its end, UTC); default now'),
        }),
      },
    },
    async (request, reply) => {
      const pack = await evidencePack(
        ctx.db,
        request.actor!,
        request.params.slug,
        request.query,
        settings(),
        ctx.clock(),
      );
      if (request.query.format === 'json') return pack;
      const name = `evidence-${pack.organisation.slug}-${pack.period.to.toISOString().slice(0, 10)}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(evidenceCsv(pack));
    },
  );

  await alertRoutes(app, options);
  await hearingRoutes(app, options);
};
