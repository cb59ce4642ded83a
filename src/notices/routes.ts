import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import { parseStrictJson } from '../http/json-body.ts';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { checkFile, storeEvidence, type UploadedFile } from './evidence.ts';
import { prepareNotice } from './intake.ts';
import { acceptMultipart, readMultipart } from './multipart.ts';
import { noticeInput } from './notice-input.ts';
import { listNotices, noticeStatuses, noticeView } from './notice-view.ts';
import { noticeDetail, noticeSummary, receiptAnswer } from './schemas.ts';
import { publicJwks } from './signing-keys.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters')
    .optional()
    .describe('The same key with the same notice returns the same receipt; with another notice, 409'),
});

declare module 'fastify' {
  interface FastifyRequest {
    /** Evidence files sent with a multipart notice. */
    evidenceUploads?: UploadedFile[];
  }
}

export const noticeRoutes: RouteModule = async (app, { ctx }) => {
  await acceptMultipart(app);

  app.post(
    '/v1/notices',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['notices'],
        summary:
          'Submit a notice; the answer carries a signed receipt. As JSON, or as multipart/form-data with the notice as JSON in a "notice" field and evidence files beside it',
        headers: idempotencyHeaders,
        body: noticeInput,
        response: { 201: receiptAnswer, 200: receiptAnswer },
      },
      // A multipart notice: the "notice" field becomes the body the schema validates, and the
      // files wait, checked, until the notice is stored.
      preValidation: async (request) => {
        if (!request.isMultipart()) return;
        const { fields, files } = await readMultipart(request);
        if (!fields.notice)
          throw invalid('a multipart notice needs a "notice" field holding the notice as JSON', [
            { pointer: '/notice', detail: 'missing' },
          ]);
        (request as { body: unknown }).body = parseStrictJson(Buffer.from(fields.notice, 'utf8'));
        request.evidenceUploads = files;
      },
    },
    async (request, reply) => {
      // Evidence is checked before anything is written: a bad file refuses the whole notice.
      const files = await Promise.all((request.evidenceUploads ?? []).map((file, i) => checkFile(file, i)));
      const prepared = await prepareNotice(ctx.db, request.actor!, request.body, ctx.clock(), {
        idempotencyKey: request.headers['idempotency-key'],
        publicUrl: ctx.config.publicUrl,
      });
      const result = await ctx.intake.submit(prepared);
      if (files.length === 0) return reply.code(201).send(result);
      // A retried upload (same Idempotency-Key) does not attach the same file twice.
      const held = await ctx.db
        .selectFrom('evidence')
        .select('sha256')
        .where('notice_id', '=', result.notice_id)
        .execute();
      const fresh = files.filter((f) => !held.some((h) => h.sha256 === f.sha256));
      const stored = fresh.length
        ? await storeEvidence(ctx.db, request.actor!, result.notice_id, fresh, ctx.clock())
        : [];
      return reply.code(201).send({ ...result, evidence: stored.map(({ md5: _, ...e }) => e) });
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
          status: z.enum(noticeStatuses).optional(),
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
      config: { access: 'notices:read', auditRead: { object: 'notice', param: 'id' } },
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
