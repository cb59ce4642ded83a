import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { bigintParam, timestamp } from '../http/schemas.ts';
import { readCheckpoint, signCheckpoint } from './checkpoints.ts';
import { verifyAuditChain } from './verify.ts';

const entry = z.object({
  seq: z.number().int(),
  at: timestamp,
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  actor_org_id: z.string().nullable(),
  action: z.string(),
  object_type: z.string(),
  object_id: z.string(),
  change: z.unknown(),
  change_digest: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});

export const auditRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/audit',
    {
      config: { access: 'audit:read', auditRead: { object: 'audit_log' } },
      schema: {
        tags: ['audit'],
        summary: 'Page through the audit log, oldest first',
        querystring: z.strictObject({
          after: bigintParam(0).default(0).describe('Return entries with seq greater than this'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          object_type: z.string().max(64).optional(),
          object_id: z.string().max(128).optional(),
          action: z.string().max(128).optional(),
          kind: z
            .enum(['read', 'change'])
            .optional()
            .describe('read: the audited reads (read.*) only; change: everything else'),
          actor_id: z.string().max(128).optional(),
        }),
        response: { 200: z.object({ items: z.array(entry), next_after: z.number().int().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      let query = ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', q.after)
        .orderBy('seq')
        .limit(q.limit);
      if (q.object_type) query = query.where('object_type', '=', q.object_type);
      if (q.object_id) query = query.where('object_id', '=', q.object_id);
      if (q.action) query = query.where('action', '=', q.action);
      if (q.kind === 'read') query = query.where('action', 'like', 'read.%');
      if (q.kind === 'change') query = query.where('action', 'not like', 'read.%');
      if (q.actor_id) query = query.where('actor_id', '=', q.actor_id);
      const items = await query.execute();
      return { items, next_after: items.length === q.limit ? items[items.length - 1]!.seq : null };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary:
          'Walk the hash chain and name the first entry that was altered, removed or reordered; an intact chain’s head is signed as a checkpoint to keep, and later verifications want it still there (newest entries removed)',
        querystring: z.strictObject({
          anchor: z
            .string()
            .max(2000)
            .optional()
            .describe(
              'A checkpoint an earlier verification answered, kept outside tapis: the chain must still hold it',
            ),
        }),
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            fault: z.object({ seq: z.number().int(), problem: z.string(), detail: z.string() }).nullable(),
            head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
            checkpoint: z
              .string()
              .nullable()
              .describe('The head, signed (compact JWS, Ed25519, keys at /.well-known/jwks.json): keep it'),
          }),
        },
      },
    },
    async (request) => {
      const anchors = [];
      if (request.query.anchor) {
        const read = await readCheckpoint(ctx.db, request.query.anchor);
        if ('refused' in read)
          throw invalid(`anchor: ${read.refused}`, [
            { in: 'querystring', pointer: '/anchor', detail: read.refused },
          ]);
        anchors.push(read.claims);
      }
      const outcome = await verifyAuditChain(ctx.db, undefined, anchors);
      if (!outcome.ok || !outcome.head) return { ...outcome, checkpoint: null };
      const checkpoint = await signCheckpoint(ctx.db, outcome.head, ctx.clock());
      // The log keeps a copy outside the database, as the answer does.
      request.log.info({ audit_checkpoint: outcome.head, signed: checkpoint }, 'audit chain verified');
      return { ...outcome, checkpoint };
    },
  );
};
