import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, email, timestamp } from '../http/schemas.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { type PrepareOptions, prepareNotice } from './intake.ts';
import { type NoticeInput, noticeInput } from './notice-input.ts';
import { existingPublicNotifier, publicNotifier } from './public-intake.ts';
import { publicNotifierStanding } from './public-notifiers.ts';
import { receiptAnswer } from './schemas.ts';
import { currentSigningKey } from './signing-keys.ts';

/** Anyone may send this many notices a minute from one address; the form is not a firehose. */
const PUBLIC_NOTICES_PER_MINUTE = 5;

const publicNotice = z.strictObject({
  targets: z.array(z.string().max(4096)).min(1, 'name at least one target').max(20, 'at most 20 targets'),
  category: noticeInput.shape.category,
  jurisdiction: countryCode.default('ID'),
  explanation: noticeInput.shape.explanation,
  good_faith: noticeInput.shape.good_faith,
  notifier: z
    .strictObject({ name: z.string().trim().min(1).max(200), email: email })
    .optional()
    .describe(
      'Your name and e-mail (DSA Art. 16(2)(c)); leave out only with anonymous where the category allows it',
    ),
  anonymous: z.boolean().default(false),
});

const publicReceipt = receiptAnswer.extend({
  warning: z
    .object({ reason: z.string(), at: timestamp })
    .optional()
    .describe('A warning about manifestly unfounded notices from this e-mail address (DSA Art. 23(2))'),
});

/**
 * The public notice form (DSA Art. 16): anyone, without an account, rate-limited by address.
 * The answer is the same signed receipt a flagger gets, to keep as the confirmation.
 */
export const publicNoticeRoutes: RouteModule = async (app, { ctx }) => {
  const limiter = new RateLimiter();

  app.post(
    '/v1/public/notices',
    {
      config: { access: 'public' },
      schema: {
        tags: ['notices'],
        summary:
          'Notify illegal content without an account (DSA Art. 16): name and e-mail, or anonymous where the category allows it; rate-limited',
        body: publicNotice,
        response: { 201: publicReceipt, 200: publicReceipt },
      },
    },
    async (request, reply) => {
      limiter.take(`ip:${request.ip}`, PUBLIC_NOTICES_PER_MINUTE, ctx.clock().getTime(), 'your address');
      const body = request.body;
      if (!body.notifier && !body.anonymous) {
        throw invalid('notifier: give your name and e-mail, or send the notice anonymously', [
          { pointer: '/notifier', detail: 'required unless anonymous is true' },
        ]);
      }
      const input = noticeInput.parse({
        targets: body.targets,
        category: body.category,
        jurisdiction: body.jurisdiction,
        explanation: body.explanation,
        good_faith: body.good_faith,
        anonymous: body.anonymous,
        ...(body.notifier ? { notifier: body.notifier } : {}),
      });
      // DSA Art. 23(2): a suspended member of the public is refused; a warned one reads the warning.
      const warning = await publicNotifierStanding(ctx.db, body.notifier?.email, ctx.clock());
      const options = { publicUrl: ctx.config.publicUrl };
      const actor = await existingPublicNotifier(ctx.db);
      const prepared = actor
        ? await prepareNotice(ctx.db, actor, input, ctx.clock(), options)
        : await firstPublicNotice(ctx.db, input, ctx.clock(), options);
      const receipt = await ctx.intake.submit(prepared);
      return reply.code(201).send(warning ? { ...receipt, warning } : receipt);
    },
  );
};

/**
 * The form's first notice makes its organisation, in one transaction with the notice's
 * checks: a refused first notice leaves nothing behind (found by fuzzing, issue 15). The
 * policy and the receipt key are read first: on a new database each is made on first use
 * in a transaction of its own, which cannot nest in this one.
 */
async function firstPublicNotice(db: Db, input: NoticeInput, now: Date, options: PrepareOptions) {
  await currentPolicy(db);
  await currentSigningKey(db);
  return transact(db, async (trx) => prepareNotice(trx, await publicNotifier(trx), input, now, options));
}
