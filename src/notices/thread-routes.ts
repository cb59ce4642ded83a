import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { lodgeObjection } from '../objections/lodge.ts';
import { checkFile, readEvidence, storeEvidence } from './evidence.ts';
import { acceptMultipart, readMultipart } from './multipart.ts';
import {
  impossibilityReasons,
  markRead,
  pausingImpossibilityReasons,
  postMessage,
  readThread,
} from './threads.ts';

const params = z.strictObject({ id: uuid });
const posted = z.object({
  id: uuid,
  notice_id: uuid,
  side: z.string(),
  kind: z.string(),
  status: z.string(),
  created_at: timestamp,
});
const text = (max: number) => z.string().trim().min(1).max(max);
const attachments = z
  .array(uuid)
  .max(10)
  .optional()
  .describe('Evidence ids uploaded first to /v1/notices/{id}/evidence');
const targetIndexes = z.array(z.number().int().min(0).max(999)).min(1).max(1000).optional();

/** The notice's thread: messages both ways, clarification, impossibility, objections, evidence. */
export const threadRoutes: RouteModule = async (app, { ctx }) => {
  await acceptMultipart(app);

  app.get(
    '/v1/notices/:id/thread',
    {
      config: { access: 'notices:read', auditRead: { object: 'notice_thread', param: 'id' } },
      schema: {
        tags: ['government channel'],
        summary: 'The notice’s thread, oldest first, with read receipts',
        params,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: uuid,
                side: z.string(),
                kind: z.string(),
                author_name: z.string(),
                body: z.string(),
                target_idx: z.number().nullable(),
                created_at: timestamp,
                read_at: timestamp.nullable(),
                attachments: z.array(
                  z.object({
                    id: uuid,
                    filename: z.string(),
                    content_type: z.string(),
                    size: z.number(),
                    sha256: z.string(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await readThread(ctx.db, request.actor!, request.params.id) }),
  );

  app.post(
    '/v1/notices/:id/messages',
    {
      config: { access: 'threads:write' },
      schema: {
        tags: ['government channel'],
        summary: 'Write in the notice’s thread',
        params,
        body: z.strictObject({ body: text(20_000), attachments }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await postMessage(
            ctx.db,
            request.actor!,
            request.params.id,
            { kind: 'message', body: request.body.body, attachments: request.body.attachments },
            ctx.clock(),
          ),
        ),
  );

  app.post(
    '/v1/notices/:id/clarification-requests',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'Ask the notifier for clarification; the notice’s clock pauses until the answer (TCO Art. 3(7)-(8))',
        params,
        body: z.strictObject({ question: text(20_000), attachments }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await postMessage(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            kind: 'clarification_request',
            body: request.body.question,
            attachments: request.body.attachments,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/clarification',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['government channel'],
        summary: 'Answer the open clarification request; the clock resumes',
        params,
        body: z.strictObject({ answer: text(20_000), attachments }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await postMessage(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            kind: 'clarification_answer',
            body: request.body.answer,
            attachments: request.body.attachments,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/impossible',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'Declare the notice impossible to carry out for now (TCO Art. 3(7)-(8), Annex III): its clock pauses until the notifier answers or the obstacle ends',
        params,
        body: z.strictObject({
          reason: z.enum(pausingImpossibilityReasons),
          explanation: text(20_000),
          target_indexes: targetIndexes.describe('The targets concerned; the whole notice’s clock pauses'),
        }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await postMessage(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            kind: 'impossibility_declared',
            body: request.body.explanation,
            reason: request.body.reason,
            targetIndexes: request.body.target_indexes,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/impossibility-answer',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['government channel'],
        summary:
          'Answer or correct a notice declared impossible to carry out; its clock resumes with the time that was left',
        params,
        body: z.strictObject({ answer: text(20_000), attachments }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await postMessage(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            kind: 'impossibility_answer',
            body: request.body.answer,
            attachments: request.body.attachments,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/impossibility-ended',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'The obstacle has ceased (force majeure, de facto impossibility): the clock resumes with the time that was left (TCO Art. 3(7))',
        params,
        body: z.strictObject({ explanation: text(20_000) }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await postMessage(
            ctx.db,
            request.actor!,
            request.params.id,
            { kind: 'impossibility_ended', body: request.body.explanation },
            ctx.clock(),
          ),
        ),
  );

  app.post(
    '/v1/notices/:id/impossible-for-good',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['government channel'],
        summary:
          'Settle the notice (or some targets) as impossible to carry out for good, with the reasons: a final outcome',
        params,
        body: z.strictObject({
          reason: z.enum(impossibilityReasons),
          explanation: text(20_000),
          target_indexes: targetIndexes,
        }),
        response: { 201: posted },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await postMessage(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            kind: 'impossible',
            body: request.body.explanation,
            reason: request.body.reason,
            targetIndexes: request.body.target_indexes,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/objections',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['government channel'],
        summary:
          'Object to the platform’s decision (SAMAN "sanggah"): a reviewer who did not make it answers, with reasons, within the SOP policy’s time',
        params,
        body: z.strictObject({ grounds: text(20_000), target_indexes: targetIndexes, attachments }),
        response: { 201: posted.extend({ objection_id: uuid, due_at: timestamp }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await lodgeObjection(
          ctx.db,
          request.actor!,
          request.params.id,
          {
            grounds: request.body.grounds,
            targetIndexes: request.body.target_indexes,
            attachments: request.body.attachments,
          },
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/notices/:id/thread/read',
    {
      config: { access: 'threads:write' },
      schema: {
        tags: ['government channel'],
        summary: 'Read receipt: mark the other side’s messages up to this one as read',
        params,
        body: z.strictObject({ up_to: uuid }),
        response: { 200: z.object({ marked: z.number().int() }) },
      },
    },
    async (request) => ({
      marked: await markRead(ctx.db, request.actor!, request.params.id, request.body.up_to, ctx.clock()),
    }),
  );

  app.post(
    '/v1/notices/:id/evidence',
    {
      config: { access: 'threads:write' },
      schema: {
        tags: ['government channel'],
        summary:
          'Upload evidence (multipart/form-data, up to 10 files of 20 MiB): screenshots, PDFs, the official letter',
        params,
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({
            items: z.array(
              z.object({
                id: uuid,
                filename: z.string(),
                content_type: z.string(),
                size: z.number(),
                sha256: z.string(),
                md5: z.string(),
                uploaded_at: timestamp,
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid('send the files as multipart/form-data');
      const { files } = await readMultipart(request);
      if (files.length === 0) throw invalid('no file in the upload');
      const checked = await Promise.all(files.map((file, i) => checkFile(file, i)));
      return reply.code(201).send({
        items: await storeEvidence(ctx.db, request.actor!, request.params.id, checked, ctx.clock()),
      });
    },
  );

  app.get(
    '/v1/notices/:id/evidence/:evidenceId',
    {
      config: { access: 'notices:read', auditRead: { object: 'evidence', param: 'evidenceId' } },
      schema: {
        tags: ['government channel'],
        summary: 'Download a piece of evidence (never rendered inline)',
        params: z.strictObject({ id: uuid, evidenceId: uuid }),
      },
    },
    async (request, reply) => {
      const file = await readEvidence(
        ctx.db,
        request.actor!,
        request.params.id,
        request.params.evidenceId,
        ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY,
        ctx.clock(),
      );
      return reply
        .header(
          'content-type',
          file.content_type.startsWith('text/') ? 'text/plain; charset=utf-8' : file.content_type,
        )
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .send(file.data);
    },
  );
};
