import { z } from 'zod';
import { forbidden, invalid, notFound } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp } from '../http/schemas.ts';
import { storeUpdates } from './inbox.ts';
import { createLinkCode, linkOf, unlinkUser } from './links.ts';
import { telegramIntakeOf } from './service.ts';
import { SECRET_HEADER, secretMatches, WEBHOOK_PATH } from './webhook.ts';

const linkView = z.object({
  linked: z.boolean(),
  linked_at: timestamp.nullable(),
  language: z.string().nullable(),
  muted: z.boolean(),
});

export const telegramIntakeRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/me/telegram-link',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['telegram-intake'],
        summary:
          'A one-time code that links your Telegram account to the intake bot: send it to the bot as /start CODE within 10 minutes',
        response: {
          201: z.object({ code: z.string(), expires_at: timestamp, command: z.string() }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createLinkCode(ctx.db, request.actor!, ctx.clock())),
  );

  app.get(
    '/v1/me/telegram-link',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['telegram-intake'],
        summary: 'Whether a Telegram account is linked to you',
        response: { 200: linkView },
      },
    },
    async (request) => linkOf(ctx.db, request.actor!),
  );

  app.delete(
    '/v1/me/telegram-link',
    {
      config: { access: 'notices:submit' },
      schema: { tags: ['telegram-intake'], summary: 'Unlink your Telegram account from the intake bot' },
    },
    async (request, reply) => {
      await unlinkUser(ctx.db, request.actor!, ctx.clock());
      return reply.code(204).send();
    },
  );

  app.post(
    WEBHOOK_PATH,
    {
      // Telegram itself calls it; the secret token header is its credential.
      config: { access: 'public' },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['telegram-intake'],
        summary: 'Where Telegram delivers the intake bot’s updates in webhook mode',
        headers: z.object({ [SECRET_HEADER]: z.string().max(256).optional() }),
      },
    },
    async (request, reply) => {
      const intake = telegramIntakeOf(ctx);
      if (intake?.mode !== 'webhook' || !intake.secret)
        throw notFound('the Telegram intake bot is not in webhook mode here');
      if (!secretMatches(intake.secret, request.headers[SECRET_HEADER]))
        throw forbidden(
          'the X-Telegram-Bot-Api-Secret-Token header does not match the secret given to setWebhook',
        );
      const body = request.body as { update_id?: unknown } | null;
      if (typeof body?.update_id !== 'number' || !Number.isSafeInteger(body.update_id) || body.update_id < 0)
        throw invalid('update_id: a Telegram update has a non-negative integer update_id', [
          { pointer: '/update_id', detail: 'required' },
        ]);
      // Stored before the 200 that acknowledges it; a redelivery is stored once.
      await storeUpdates(ctx.db, [body], ctx.clock());
      void intake.inbox
        .drain()
        .catch((error) => request.log.error({ err: error }, 'telegram inbox drain failed'));
      return reply.code(200).send({ ok: true });
    },
  );
};
