import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { periodBound, slug, text, timestamp, uuid } from '../http/schemas.ts';
import { listAuthorityReports, readAuthorityReport, submitAuthorityReport } from './authority-reports.ts';
import { precisionSettings } from './precision-review.ts';

const report = z.object({
  id: uuid,
  flagger: z.string(),
  authority: z.string(),
  period: z.object({ from: timestamp, to: timestamp }),
  digest: z.string().describe('SHA-256 of the canonical JSON of the pack as sent'),
  rows: z.number().int(),
  precision: z.number().nullable(),
  note: z.string().nullable(),
  submitted_by: z.string(),
  submitted_at: timestamp,
  delivered_at: timestamp.nullable(),
});

/** DSA Art. 22(6): a trusted flagger's evidence pack, sent to its designating authority and read there. */
export const authorityReportRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/flaggers/:slug/authority-reports',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Send the flagger’s evidence pack for a period to its designating authority (an organisation in tapis); recorded with its digest, audited, delivered through the outbox',
        params: z.strictObject({ slug }),
        body: z.strictObject({
          authority: slug.describe('The designating authority’s organisation (kind government)'),
          from: periodBound('start').optional(),
          to: periodBound('end').optional(),
          note: text(5000).optional().describe('The explanation sent with the pack'),
        }),
        response: { 201: report },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await submitAuthorityReport(
            ctx.db,
            request.actor!,
            request.params.slug,
            request.body,
            precisionSettings(ctx.config),
            ctx.clock(),
          ),
        ),
  );

  app.get(
    '/v1/authority-reports',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Evidence packs sent to designating authorities: an authority sees those delivered to it, the platform all',
        querystring: z.strictObject({ flagger: slug.optional() }),
        response: { 200: z.object({ items: z.array(report) }) },
      },
    },
    async (request) => ({ items: await listAuthorityReports(ctx.db, request.actor!, request.query) }),
  );

  app.get(
    '/v1/authority-reports/:id',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['flaggers'],
        summary: 'One evidence pack as it was sent, with its digest',
        params: z.strictObject({ id: uuid }),
        response: { 200: report.extend({ pack: z.unknown() }) },
      },
    },
    async (request) => readAuthorityReport(ctx.db, request.actor!, request.params.id),
  );
};
