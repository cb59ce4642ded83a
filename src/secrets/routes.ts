import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { text, timestamp } from '../http/schemas.ts';
import { rotateSigningKey } from '../notices/signing-keys.ts';

/**
 * Rotating the receipt signing key from the API (also `tapis secrets rotate-receipt-key`).
 * The keys themselves are published at /.well-known/jwks.json (src/notices/routes.ts).
 */
export const secretRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/signing-keys/rotate',
    {
      config: { access: 'secrets:rotate' },
      schema: {
        tags: ['notices'],
        summary:
          'Retire the receipt signing key and start signing with a new one; the retired key stays published, to verify the receipts it signed',
        body: z.strictObject({ reason: text(500).optional() }).nullish(),
        response: {
          200: z.object({
            kid: z.string().describe('The new key: receipts from now on carry it'),
            valid_from: timestamp,
            retired: z.array(z.string()).describe('The keys retired now: they verify, and never sign again'),
          }),
        },
      },
    },
    async (request) => {
      const rotation = await rotateSigningKey(
        ctx.db,
        request.actor!,
        ctx.clock(),
        request.body?.reason ?? undefined,
      );
      ctx.log.info({ kid: rotation.kid, retired: rotation.retired }, 'receipt signing key rotated');
      return rotation;
    },
  );
};
