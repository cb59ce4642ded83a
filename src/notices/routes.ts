import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { prepareNotice } from './intake.ts';
import { noticeInput } from './notice-input.ts';
import { listNotices, noticeView } from './notice-view.ts';
import { noticeDetail, noticeSummary, receiptAnswer } from './schemas.ts';
import { publicJwks } from './signing-keys.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters')
    .optional()
    .describe('The same key with the same notice returns the same receipt; with another notice, 409'),
});

export const noticeRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/notices',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['notices'],
        summary: 'Submit a notice; the answer carries a signed receipt',
        headers: idempotencyHeaders,
        body: noticeInput,
        response: { 201: receiptAnswer, 200: receiptAnswer },
      },
    },
    async (request, reply) => {
      const prepared = await prepareNotice(ctx.db, request.actor!, request.body, ctx.clock(), {
        idempotencyKey: request.headers['idempotency-key'],
        publicUrl: ctx.config.publicUrl,
      });
      return reply.code(201).send(await ctx.intake.submit(prepared));
    },
  );

  app.get(
    '/v1/notices',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['notices'],
        summary: 'List notices, newest first (a flagger sees its own organisation’s)',
        querystring: z.strictObject({
          status: z.string().max(40).optional(),
          category: z.string().max(40).optional(),
          reference: z.string().max(200).optional(),
          org: z.string().max(40).optional(),
          before: timestamp.optional().describe('Continue from next_before of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(noticeSummary), next_before: timestamp.nullable() }) },
      },
    },
    async (request) => listNotices(ctx.db, request.actor!, request.query),
  );

  app.get(
    '/v1/notices/:id',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['notices'],
        summary: 'A notice with its targets, clock, evidence and receipt',
        params: z.strictObject({ id: uuid }),
        response: { 200: noticeDetail },
      },
    },
    async (request) => noticeView(ctx.db, request.actor!, request.params.id, ctx.clock()),
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { access: 'public' },
      schema: { tags: ['notices'], summary: 'The public keys that verify receipts (JWKS, RFC 7517)' },
    },
    async () => publicJwks(ctx.db),
  );
};
