import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { int4Param, timestamp, uuid } from '../http/schemas.ts';
import { acceptBulkJob, type BulkUpload, bulkJobView, listBulkJobs } from './bulk.ts';
import { csvColumns } from './bulk-csv.ts';
import { BULK_BODY_LIMIT, type BulkFormat, decodeBulkFile, MAX_BULK_ROWS } from './bulk-parse.ts';

/** HTTP for bulk intake: upload a file as a job, then follow its progress and rows. */
const mediaTypes: Record<string, BulkFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
};

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters')
    .optional()
    .describe('The same key with the same file returns the same job; with another file, 409'),
});

const jobStatus = z
  .enum(['queued', 'running', 'done', 'failed'])
  .describe(
    'failed: processing gave up (see error); send the same file with the same Idempotency-Key to resume',
  );

const bulkAccepted = z.object({
  job_id: uuid,
  status: jobStatus,
  total: z.number().int().describe('Notices in the file'),
  status_url: z.string().describe('Where to follow the job: GET /v1/notices/bulk/{id}'),
});

const rowOutcome = z.enum(['created', 'duplicate', 'invalid']);

const jobCounters = {
  job_id: uuid,
  org: z.string(),
  format: z.enum(['csv', 'jsonl']),
  status: jobStatus,
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  duplicate: z.number().int(),
  invalid: z.number().int(),
  created_at: timestamp,
  finished_at: timestamp.nullable(),
  error: z.string().nullable().describe('Why the job failed; null unless status is failed'),
};

const bulkJob = z.object({
  ...jobCounters,
  rows: z.array(
    z.object({
      row: z
        .number()
        .int()
        .describe('1 is the first notice of the file (a CSV header and blank lines do not count)'),
      outcome: rowOutcome,
      notice_id: uuid.optional().describe('The notice created; for a duplicate, the notice it repeats'),
      reason: z.string().optional(),
      errors: z
        .array(z.object({ pointer: z.string(), detail: z.string() }))
        .optional()
        .describe('JSON pointers into the notice'),
    }),
  ),
  next_after_row: z
    .number()
    .int()
    .nullable()
    .describe('Pass as after_row for the next page; null on the last page'),
});

export const bulkRoutes: RouteModule = async (app, { ctx }) => {
  registerFileParsers(app);
  refuseOtherTypes(app);

  app.post(
    '/v1/notices/bulk',
    {
      bodyLimit: BULK_BODY_LIMIT,
      config: { access: 'notices:submit' },
      schema: {
        tags: ['notices'],
        summary: `Submit up to ${MAX_BULK_ROWS.toLocaleString('en')} notices as a CSV or JSONL file; they are processed in the background`,
        description: [
          'Send the file as the body, as `text/csv` or `application/x-ndjson` (or `application/jsonl`), UTF-8, up to 25 MiB.',
          'JSONL: one notice per line, each exactly as the body of POST /v1/notices.',
          `CSV: a header row, then one notice per row. Columns: ${csvColumns.join(', ')}.`,
          '`targets` and `order_territorial_scope` take several values separated by spaces or `|`;',
          '`legal_references` is `instrument|provision;instrument|provision`; `good_faith` and `anonymous` take true/yes/ya/1 or false/no/tidak/0.',
          'An unknown column refuses the file. Each row is then created, a duplicate, or invalid with the reason; follow the job at status_url.',
        ].join(' '),
        headers: idempotencyHeaders,
        response: { 202: bulkAccepted },
      },
    },
    async (request, reply) => {
      const accepted = await acceptBulkJob(ctx.db, request.actor!, uploadOf(request), ctx.clock(), {
        idempotencyKey: request.headers['idempotency-key'],
        publicUrl: ctx.config.publicUrl,
      });
      return reply.code(202).header('location', `/v1/notices/bulk/${accepted.job_id}`).send(accepted);
    },
  );

  app.get(
    '/v1/notices/bulk',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['notices'],
        summary: 'Bulk jobs, newest first, with their progress (a flagger sees its own organisation’s)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          before: uuid.optional().describe('next_before of the previous page'),
        }),
        response: {
          200: z.object({
            items: z.array(z.object(jobCounters)),
            next_before: uuid.nullable().describe('Pass as before for the next page; null on the last page'),
          }),
        },
      },
    },
    async (request) => listBulkJobs(ctx.db, request.actor!, request.query),
  );

  app.get(
    '/v1/notices/bulk/:id',
    {
      config: { access: 'notices:read' },
      schema: {
        tags: ['notices'],
        summary:
          'A bulk job’s progress and its row results, a page at a time (a flagger sees its own organisation’s)',
        params: z.strictObject({ id: uuid }),
        querystring: z.strictObject({
          after_row: int4Param(0).default(0).describe('Rows after this one'),
          limit: z.coerce.number().int().min(0).max(1000).default(100).describe('0 for the counters only'),
          outcome: rowOutcome.optional(),
        }),
        response: { 200: bulkJob },
      },
    },
    async (request) => bulkJobView(ctx.db, request.actor!, request.params.id, request.query),
  );
};

/**
 * Parsers for the file types, in this plugin's scope only. They keep the rule of the JSON
 * parser (src/http/json-body.ts): bytes that are not UTF-8 are a 400, never mended.
 */
function registerFileParsers(app: FastifyInstance): void {
  app.addContentTypeParser(
    Object.keys(mediaTypes),
    { parseAs: 'buffer' },
    async (request: FastifyRequest, body: Buffer) => {
      const type = request.headers['content-type'] ?? '';
      const charset = /;\s*charset="?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
      if (charset && charset !== 'utf-8' && charset !== 'utf8') {
        throw new DomainError('unsupported_media_type', `send the file as UTF-8, not ${charset}`);
      }
      const format = mediaTypes[type.split(';')[0]!.trim().toLowerCase()]!;
      return new UploadedFile(format, decodeBulkFile(body));
    },
  );
}

/**
 * Any other type (a multipart form from an HTML upload, say) is told what to send, instead
 * of Fastify's bare "unsupported media type".
 */
function refuseOtherTypes(app: FastifyInstance): void {
  // The body is not read: whatever its size, the answer is the 415.
  app.addContentTypeParser('*', (request: FastifyRequest, _payload, done) => {
    const type = (request.headers['content-type'] ?? 'no type').split(';')[0]!.trim();
    done(new DomainError('unsupported_media_type', `${acceptedTypes}, not as ${type}`), undefined);
  });
}

const acceptedTypes = `send the file itself as the body, with Content-Type ${Object.keys(mediaTypes).join(' or ')}`;

/** A body read by the parsers above; a JSON body of the same shape is not one. */
class UploadedFile implements BulkUpload {
  constructor(
    readonly format: BulkFormat,
    readonly text: string,
  ) {}
}

function uploadOf(request: FastifyRequest): BulkUpload {
  if (request.body instanceof UploadedFile) return request.body;
  throw new DomainError('unsupported_media_type', `${acceptedTypes}, not as JSON`);
}
