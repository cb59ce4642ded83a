import { z } from 'zod';
import { RateLimiter } from '../http/rate-limit.ts';
import type { RouteModule } from '../http/route-module.ts';
import { describeSubject, parseTarget } from './targets.ts';

/** Anyone may ask; a caller (by address) gets this many previews a minute. */
const PREVIEWS_PER_MINUTE = 120;

/**
 * Target preview: the intake's own parser, so a form can show the canonical subject of each
 * pasted link (or why it is refused) as the notifier types, before anything is submitted.
 * Public, for the public notice form (DSA Art. 16), and rate-limited by address.
 */
export const targetRoutes: RouteModule = async (app, { ctx }) => {
  const limiter = new RateLimiter();

  app.post(
    '/v1/targets/parse',
    {
      config: { access: 'public' },
      schema: {
        tags: ['notices'],
        summary:
          'Parse targets as the intake would: the canonical subject of each, or why it is refused (nothing is stored)',
        body: z.strictObject({ targets: z.array(z.string().max(4096)).min(1).max(1000) }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                index: z.number().int(),
                raw: z.string(),
                ok: z.boolean(),
                subject: z.record(z.string(), z.unknown()).nullable(),
                label: z.string().nullable(),
                reason: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      limiter.take(`ip:${request.ip}`, PREVIEWS_PER_MINUTE, ctx.clock().getTime(), 'your address');
      return {
        items: request.body.targets.map((raw, index) => {
          const parsed = parseTarget(raw);
          return parsed.ok
            ? {
                index,
                raw,
                ok: true,
                subject: { ...parsed.subject },
                label: describeSubject(parsed.subject),
                reason: null,
              }
            : { index, raw, ok: false, subject: null, label: null, reason: parsed.reason };
        }),
      };
    },
  );
};
