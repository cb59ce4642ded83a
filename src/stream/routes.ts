import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { keyOf } from '../scanning/scan-batch.ts';
import { MAX_BATCH } from './content-event.ts';
import { type PreparedEvent, postKey, prepareEvent } from './prepare.ts';
import { alreadyScanned, enqueueContent } from './queue.ts';

/** A batch of 1,000 posts with a few images each fits; 50 MB of base64 does not (413). */
export const CONTENT_BODY_LIMIT = 32 * 1024 * 1024;

const result = z.object({
  index: z.number().int(),
  status: z.enum(['queued', 'duplicate', 'refused']),
  platform: z.string().nullable(),
  id: z.string().nullable(),
  revision: z.string().nullable(),
  reason: z.string().optional(),
});

/**
 * POST /v1/content: one content event, or a batch of up to 1,000, from the platform. Each
 * event is checked on its own: a malformed one is refused with its reason and the others are
 * queued for the scanner all the same (one event alone, malformed, is a 400 problem).
 */
export const contentRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/content',
    {
      bodyLimit: CONTENT_BODY_LIMIT,
      config: { access: 'content:submit' },
      schema: {
        tags: ['stream'],
        summary: 'Send content events (one, or an array of up to 1,000) to be scanned',
        description:
          'Each event: {"type": "post_created" | "post_edited" | "post_deleted", "platform", "id", "channel", ' +
          '"author", "text", "media": [{"pdq"} | {"sha256"} | {"md5"} | {"base64", "mime"}], ' +
          '"forwarded_from": {"channel", "id"} | null, "posted_at", "revision"?}. The answer gives each event\'s ' +
          'result in order: queued, duplicate (same platform, id and revision already scanned) or refused with the reason.',
        body: z.union([z.array(z.unknown()).min(1).max(MAX_BATCH), z.record(z.string(), z.unknown())]),
        response: {
          202: z.object({
            queued: z.number().int(),
            duplicate: z.number().int(),
            refused: z.number().int(),
            results: z.array(result),
          }),
        },
      },
    },
    async (request, reply) => {
      const single = !Array.isArray(request.body);
      const items: unknown[] = single ? [request.body] : (request.body as unknown[]);
      const prepared = await Promise.all(items.map((item) => prepareEvent(item)));
      if (single && !prepared[0]!.ok) {
        const reason = prepared[0]!.reason;
        const field = reason.split(':')[0]!;
        throw invalid(reason, [
          { pointer: field === 'event' ? '' : `/${field.replaceAll('.', '/')}`, detail: reason },
        ]);
      }
      const good = prepared.flatMap((p) => (p.ok ? [p.event] : []));
      const seen = await alreadyScanned(ctx.db, good);
      const fresh: PreparedEvent[] = [];
      const results = prepared.map((p, index) => {
        if (!p.ok)
          return {
            index,
            status: 'refused' as const,
            platform: null,
            id: null,
            revision: null,
            reason: p.reason,
          };
        const key = keyOf(p.event);
        const duplicate = seen.has(key);
        if (!duplicate) fresh.push(p.event);
        return {
          index,
          status: duplicate ? ('duplicate' as const) : ('queued' as const),
          platform: p.event.platform,
          id: p.event.id,
          revision: p.event.revision,
        };
      });
      await enqueueContent(ctx.db, fresh, ctx.clock());
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return reply
        .code(202)
        .send({ queued: count('queued'), duplicate: count('duplicate'), refused: count('refused'), results });
    },
  );

  app.get(
    '/v1/content/:platform/:id',
    {
      config: { access: 'cases:read' },
      schema: {
        tags: ['stream'],
        summary: 'What the scanner made of a post: each revision, its matches and the case it led to',
        params: z.strictObject({ platform: z.string().min(1).max(40), id: z.string().min(1).max(100) }),
        querystring: z.strictObject({
          channel: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe('Telegram: the channel, as ids are per chat'),
        }),
      },
    },
    async (request) => {
      const items = await ctx.db
        .selectFrom('content_events')
        .select([
          'type',
          'revision',
          'channel',
          'forwarded_from_channel',
          'forwarded_from_id',
          'posted_at',
          'received_at',
          'via',
          'matched',
          'result',
        ])
        .where('platform', '=', request.params.platform)
        .where('post_id', 'in', [
          request.params.id,
          ...(request.query.channel
            ? [postKey(request.params.platform, request.query.channel, request.params.id)]
            : []),
        ])
        .orderBy('received_at')
        .execute();
      return { platform: request.params.platform, id: request.params.id, items };
    },
  );
};
