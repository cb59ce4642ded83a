import { Readable } from 'node:stream';
import { z } from 'zod';
import { invalid, notFound } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { countersFeed, type DayCount, dailyCounters } from './counters.ts';
import { flaggerAnnualReport } from './flagger-annual.ts';
import { readAsset } from './page/assets.ts';
import { PAGE_CSP, renderReportPage } from './page/html.ts';
import { languages } from './page/labels.ts';
import { publicReport } from './page/public-report.ts';
import { parsePeriod } from './period.ts';
import { reportCsvFiles } from './report/csv.ts';
import { buildReport, reportJson } from './report/report.ts';
import { slaFigures } from './sla.ts';
import { statementLines } from './statement-export.ts';
import { listSubmissions, type SubmissionStatus, submissionStatuses } from './submission-list.ts';

const day = z.string().max(10).describe('A day, YYYY-MM-DD (UTC)');
export const periodQuery = z.strictObject({
  from: day.optional().describe('First day of the period, included; by default 1 January of this year'),
  to: day.optional().describe('Last day of the period, included; by default 31 December of from’s year'),
});

/** Transparency: statements for the DSA Transparency Database, the report, SLA figures, public counters. */
export const transparencyRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/statements/export',
    {
      config: { access: 'statements:export' },
      schema: {
        tags: ['transparency'],
        summary:
          'The statements of reasons issued in a period whose effect reaches the EU/EEA, one per line (JSON Lines) in the Transparency Database’s API shape',
        querystring: periodQuery,
      },
    },
    async (request, reply) => {
      // Checked before the first byte: a bad period is a 400, never a broken stream.
      const period = parsePeriod(request.query, ctx.clock());
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="statements-${period.from}-${period.to}.jsonl"`)
        .send(Readable.from(statementLines(ctx.db, period)));
    },
  );

  app.get(
    '/v1/statements/submissions',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['transparency'],
        summary:
          'Each statement’s submission to the DSA Transparency Database: its state (pending, submitted, refused, failed, outside_eea), attempts and last error, newest first, paged',
        querystring: z.strictObject({
          status: z
            .string()
            .max(100)
            .optional()
            .describe(`States to list, comma-separated: ${submissionStatuses.join(', ')}`),
          from: day.optional().describe('First day queued, included (UTC)'),
          to: day.optional().describe('Last day queued, included (UTC)'),
          puid: z
            .string()
            .regex(/^[a-zA-Z0-9_-]{1,500}$/, 'a puid: letters, digits, - and _')
            .optional()
            .describe('One statement, by its puid'),
          case_id: z.uuid().optional().describe('The statements of one case'),
          cursor: z.string().max(500).optional().describe('The next_cursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      const wanted = status === undefined ? undefined : status.split(',').map((s) => s.trim());
      const unknown = wanted?.filter((s) => !(submissionStatuses as readonly string[]).includes(s)) ?? [];
      if (unknown.length > 0)
        throw invalid(
          `status: ${JSON.stringify(unknown[0])} is not one of ${submissionStatuses.join(', ')}`,
          [
            {
              in: 'querystring',
              pointer: '/status',
              detail: `one or more of ${submissionStatuses.join(', ')}`,
            },
          ],
        );
      return listSubmissions(
        ctx.db,
        { ...rest, status: wanted as SubmissionStatus[] | undefined },
        ctx.clock(),
      );
    },
  );

  app.get(
    '/v1/reports/transparency',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['transparency'],
        summary:
          'The transparency report (DSA Arts. 15 and 24, TCO Art. 7) for a period, by default this calendar year: JSON, or one table as CSV',
        querystring: periodQuery.extend({
          format: z.enum(['json', 'csv']).default('json'),
          table: z.string().max(60).optional().describe('With format=csv: the table to return'),
        }),
      },
    },
    async (request, reply) => {
      const { format, table, ...range } = request.query;
      const period = parsePeriod(range, ctx.clock());
      const report = await buildReport(ctx.db, period, ctx.clock());
      if (format === 'json') return reply.send(reportJson(report));
      const files = reportCsvFiles(report);
      const file = files.find((f) => f.name === `${table}.csv`);
      if (!file)
        throw invalid(`table: name one of ${report.tables.map((t) => t.name).join(', ')}`, [
          { pointer: '/table', detail: 'one of the report’s tables' },
        ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${period.from}-${period.to}-${file.name}"`)
        .send(file.content);
    },
  );

  app.get(
    '/transparency',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transparency'],
        summary: 'The public transparency report with charts, in Indonesian (default) or English',
        querystring: periodQuery.extend({ lang: z.enum(languages).default('id') }),
      },
    },
    async (request, reply) => {
      const { lang, ...range } = request.query;
      const period = parsePeriod(range, ctx.clock());
      const report = await publicReport(ctx.db, period, ctx.clock());
      const other = new URLSearchParams({
        lang: lang === 'id' ? 'en' : 'id',
        from: period.from,
        to: period.to,
      });
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .send(
          renderReportPage(report, {
            lang,
            assets: '/transparency/assets',
            otherLanguageHref: `/transparency?${other}`,
            countersHref: '/transparency/counters.atom',
          }),
        );
    },
  );

  app.get(
    '/transparency/assets/:file',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transparency'],
        summary: 'The page’s script, style and chart library, served from this instance',
        params: z.strictObject({ file: z.string().max(40) }),
      },
    },
    async (request, reply) => {
      const asset = readAsset(request.params.file);
      if (!asset) throw notFound(`no asset ${request.params.file}`);
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(asset.body);
    },
  );

  app.get(
    '/v1/flaggers/:slug/annual-report',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['transparency'],
        summary:
          'A trusted flagger’s annual report (DSA Art. 22(3)): its notices by category and by action taken, no personal data; a flagger reads its own',
        params: z.strictObject({ slug: z.string().min(1).max(64) }),
        querystring: z
          .strictObject({
            year: z.string().max(6).describe('The calendar year, 2000–2100; by default last year'),
          })
          .partial(),
      },
    },
    async (request) =>
      flaggerAnnualReport(
        ctx.db,
        request.actor!,
        request.params.slug,
        request.query.year ?? ctx.clock().getUTCFullYear() - 1,
      ),
  );

  app.get(
    '/v1/sla',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['transparency'],
        summary:
          'SLA figures: open notices with the time left, breaches, compliance by week and category (a flagger: its own notices only)',
        querystring: periodQuery,
      },
    },
    async (request) =>
      slaFigures(ctx.db, request.actor!, parsePeriod(request.query, ctx.clock()), ctx.clock()),
  );

  // Public and unauthenticated: computed at most once a minute.
  let counters: { at: number; days: number; counts: Promise<DayCount[]> } | null = null;
  const countsFor = (days: number) => {
    const now = ctx.clock();
    if (!counters || counters.days !== days || Math.abs(now.getTime() - counters.at) > 60_000)
      counters = { at: now.getTime(), days, counts: dailyCounters(ctx.db, days, now) };
    return counters.counts;
  };
  const daysQuery = z.strictObject({
    days: z.coerce.number().int().min(1).max(90).default(30).describe('How many days back, today included'),
  });

  app.get(
    '/v1/public/counters',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transparency'],
        summary: 'Channels, groups, bots and messages actioned for terrorism per day (UTC), newest first',
        querystring: daysQuery,
      },
    },
    async (request) => ({ days: await countsFor(request.query.days) }),
  );

  app.get(
    '/transparency/counters.atom',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transparency'],
        summary: 'The daily counters as an Atom feed',
        querystring: daysQuery,
      },
    },
    async (request, reply) =>
      reply
        .type('application/atom+xml; charset=utf-8')
        .send(countersFeed(await countsFor(request.query.days), ctx.config.publicUrl, ctx.clock())),
  );
};
