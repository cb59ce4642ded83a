import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp, uuid } from '../http/schemas.ts';
import {
  decideDataRequest,
  listDataRequests,
  readDataRequest,
  readPackage,
  submitDataRequest,
} from './requests.ts';
import { dataCategories } from './rules.ts';

/** Law-enforcement data requests (MR5/2020). Reads of a request and of its package are audited. */
const params = z.strictObject({ id: uuid });
const categories = z.array(z.enum(dataCategories)).min(1).max(dataCategories.length);

export const dataRequestRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/data-requests',
    {
      config: { access: 'data_requests:submit' },
      schema: {
        tags: ['data requests'],
        summary:
          'Ask for data about an account or channel, with the legal basis, the data categories, the period and the urgency (MR5/2020)',
        body: z.strictObject({
          reference: text(200).describe(
            'Your reference (the letter number): a retry with it gets the same request',
          ),
          subject: z.strictObject({
            target: z.string().min(1).max(2048).describe('The account or channel: a t.me link or @username'),
            hint: z.enum(['channel', 'group', 'account']).optional(),
          }),
          legal_basis: text(4000),
          categories,
          period: z.strictObject({ from: timestamp, to: timestamp }),
          urgency: z.enum(['urgent', 'normal']),
          notice_id: uuid
            .optional()
            .describe('One of your notices: its thread carries the answer and the delivery'),
        }),
      },
    },
    async (request, reply) => {
      const result = await submitDataRequest(ctx.db, request.actor!, request.body, ctx.clock());
      return reply.code(result.created ? 201 : 200).send(result.view);
    },
  );

  app.get(
    '/v1/data-requests',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['data requests'],
        summary: 'Data requests, soonest due first: your organisation’s, or (platform leads) every one',
        querystring: z.strictObject({
          status: z.enum(['received', 'approved', 'partly_approved', 'refused']).optional(),
        }),
      },
    },
    async (request) => ({
      items: await listDataRequests(ctx.db, request.actor!, request.query, ctx.clock()),
    }),
  );

  app.get(
    '/v1/data-requests/:id',
    {
      config: { access: 'authenticated', auditRead: { object: 'data_request', param: 'id' } },
      schema: {
        tags: ['data requests'],
        summary: 'A data request: its scope, clock, answer and the manifest of what was disclosed (audited)',
        params,
      },
    },
    async (request) => readDataRequest(ctx.db, request.actor!, request.params.id, ctx.clock()),
  );

  app.post(
    '/v1/data-requests/:id/decision',
    {
      config: { access: 'data_requests:decide' },
      schema: {
        tags: ['data requests'],
        summary:
          'Approve (fully or partly) or refuse a data request with reasons; an approval builds and delivers the package',
        params,
        body: z.strictObject({
          decision: z.enum(['approve', 'approve_partly', 'refuse']),
          reasons: text(10_000),
          categories: categories.optional().describe('For approve_partly: the categories disclosed'),
        }),
      },
    },
    async (request) =>
      decideDataRequest(ctx.db, request.actor!, request.params.id, request.body, ctx.clock()),
  );

  app.get(
    '/v1/data-requests/:id/package',
    {
      config: { access: 'authenticated', auditRead: { object: 'data_request_package', param: 'id' } },
      schema: {
        tags: ['data requests'],
        summary: 'The disclosure package: a manifest with each file’s SHA-256, and the files (audited)',
        params,
      },
    },
    async (request, reply) => {
      const pack = await readPackage(ctx.db, request.actor!, request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="data-request-${request.params.id}.json"`)
        .send(pack);
    },
  );
};
