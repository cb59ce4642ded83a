import { z } from 'zod';
import { forbidden } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { slug, text, timestamp, uuid } from '../http/schemas.ts';
import { seesAllOrganisations } from '../identity/actor.ts';
import { answerHearing, decideHearing, listHearings, openHearing } from './hearings.ts';

/** Hearings before a trusted flagger's status is revoked or suspended (DSA Art. 22(7)). */
const hearing = z.object({
  id: uuid,
  org: z.string(),
  proposed: z.enum(['revoke', 'suspend']),
  proposed_until: timestamp.nullable(),
  grounds: z.string(),
  opened_by: z.string(),
  opened_at: timestamp,
  due_at: timestamp,
  status: z.enum(['open', 'answered', 'decided']),
  answer: z.string().nullable(),
  answered_at: timestamp.nullable(),
  decision: z.enum(['revoke', 'suspend', 'keep']).nullable(),
  reasons: z.string().nullable(),
  decided_by: z.string().nullable(),
  decided_at: timestamp.nullable(),
  status_change_id: z.string().nullable(),
});
const idParams = z.strictObject({ id: uuid });

export const hearingRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/flaggers/:slug/hearings',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Open a hearing before revoking or suspending a trusted flagger’s status (DSA Art. 22(7)); it has the SOP policy’s days to answer',
        params: z.strictObject({ slug }),
        body: z.strictObject({
          proposed: z.enum(['revoke', 'suspend']),
          grounds: text(10_000),
          until: timestamp.optional().describe('For suspend: until when'),
          notice_ids: z
            .array(uuid)
            .max(100)
            .optional()
            .describe('Notices the grounds rest on: the hearing is written in their threads'),
        }),
        response: { 201: hearing.extend({ notice_ids: z.array(uuid) }) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await openHearing(ctx.db, request.actor!, request.params.slug, request.body, ctx.clock())),
  );

  app.get(
    '/v1/flaggers/:slug/hearings',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['flaggers'],
        summary: 'A flagger’s hearings, newest first',
        params: z.strictObject({ slug }),
        response: { 200: z.object({ items: z.array(hearing) }) },
      },
    },
    async (request) => ({ items: await listHearings(ctx.db, { slug: request.params.slug }) }),
  );

  app.get(
    '/v1/hearings',
    {
      config: { access: 'hearings:answer' },
      schema: {
        tags: ['flaggers'],
        summary: 'Your organisation’s hearings, newest first (platform admins: every organisation’s)',
        response: { 200: z.object({ items: z.array(hearing) }) },
      },
    },
    async (request) => ({
      items: await listHearings(
        ctx.db,
        seesAllOrganisations(request.actor!) ? {} : { orgId: request.actor!.orgId },
      ),
    }),
  );

  app.post(
    '/v1/hearings/:id/answer',
    {
      config: { access: 'hearings:answer' },
      schema: {
        tags: ['flaggers'],
        summary: 'Answer a hearing of your organisation, before its deadline',
        params: idParams,
        body: z.strictObject({ answer: text(20_000) }),
        response: { 200: hearing.extend({ late: z.boolean() }) },
      },
    },
    async (request) => {
      if (request.actor!.type !== 'user')
        throw forbidden('a hearing is answered by a person of the organisation');
      return answerHearing(ctx.db, request.actor!, request.params.id, request.body.answer, ctx.clock());
    },
  );

  app.post(
    '/v1/hearings/:id/decision',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['flaggers'],
        summary:
          'Decide after the hearing, with reasons: revoke, suspend until a date, or keep the trusted status',
        params: idParams,
        body: z.strictObject({
          decision: z.enum(['revoke', 'suspend', 'keep']),
          reasons: text(10_000),
          until: timestamp.optional(),
        }),
        response: { 200: hearing },
      },
    },
    async (request) => decideHearing(ctx.db, request.actor!, request.params.id, request.body, ctx.clock()),
  );
};
