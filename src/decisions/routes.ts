import { z } from 'zod';
import { actionTypes } from '../enforcement/connectors/connector.ts';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, languageCode, timestamp, uuid } from '../http/schemas.ts';
import { contentTypes } from '../transparency/tdb-values.ts';
import {
  approveDecision,
  type DecisionInput,
  decideCase,
  previewDecision,
  refuseApproval,
} from './decide.ts';
import { decisionOutcomes } from './outcomes.ts';
import { retryAction } from './retry-action.ts';
import { readStatement } from './statements.ts';
import { decisionTemplates } from './templates.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const decisionBody = z.strictObject({
  outcome: z.enum(decisionOutcomes),
  grounds: z
    .strictObject({
      illegal: z
        .strictObject({ legal_ground: text(1000), explanation: text(5000) })
        .optional()
        .describe('Illegal content: the law relied on, and why'),
      incompatible: z
        .strictObject({ ground: text(1000), explanation: text(5000) })
        .optional()
        .describe('Terms of service: the clause relied on, and why'),
    })
    .optional(),
  territories: z.array(countryCode).min(1).max(250).optional(),
  suspension: z
    .strictObject({
      target: z.enum(['channel', 'account']),
      duration_days: z.number().int().min(1).max(3650).optional(),
      permanent: z.boolean().optional(),
    })
    .optional(),
  label: text(200).optional(),
  duration_days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe(
      'The end of a temporary restriction (demotion, age restriction, monetary or service suspension…)',
    ),
  service_scope: z.enum(['partial', 'total']).optional().describe('suspend_service / terminate_service'),
  min_age: z.number().int().min(1).max(99).optional().describe('age_restrict: the minimum age'),
  actions: z
    .array(
      z.strictObject({
        type: z.enum(actionTypes),
        connector: z.enum(['webhook', 'telegram_bot', 'demo_platform']),
        user_id: z
          .string()
          .regex(/^\d{1,16}$/, 'the numeric account id')
          .optional(),
        until: z.iso.datetime({ offset: true }).optional(),
        territories: z.array(countryCode).max(250).optional(),
        label: text(200).optional(),
        permissions: z.record(z.string().max(60), z.boolean()).optional(),
        scope: z.enum(['partial', 'total']).optional(),
        min_age: z.number().int().min(1).max(99).optional(),
      }),
    )
    .max(20)
    .optional()
    .describe('The enforcement actions; derived from the outcome when absent'),
  acknowledge_irreversible: z.boolean().optional().describe('Required when an action cannot be undone'),
  facts: text(5000).optional().describe('The facts and circumstances relied on (DSA Art. 17(3)(b))'),
  // The Transparency Database's content types; CONTENT_TYPE_OTHER would need a description tapis does not collect.
  content_type: z
    .array(z.enum(contentTypes.filter((t) => t !== 'CONTENT_TYPE_OTHER') as [string, ...string[]]))
    .min(1)
    .max(10)
    .optional(),
  question: text(20_000).optional().describe('For request_clarification: the question to the notifiers'),
  template_id: z.string().max(100).optional(),
  language: languageCode.optional(),
});

const params = z.strictObject({ id: uuid });
const plannedAction = z.object({
  type: z.string(),
  connector: z.string(),
  revertible: z.boolean(),
  note: z.string().optional(),
  subject: z.unknown(),
  params: z.unknown(),
});

export const decisionRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/cases/:id/decisions/preview',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary:
          'What a decision would do: its actions, which cannot be undone, and whether it needs a second reviewer',
        params,
        body: decisionBody,
        response: {
          200: z.object({
            outcome: z.string(),
            actions: z.array(plannedAction),
            irreversible: z.array(plannedAction),
            four_eyes: z.object({ rule: z.string() }).nullable(),
            warnings: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const { facts: _, ...preview } = await previewDecision(
        ctx,
        request.params.id,
        request.body as DecisionInput,
        ctx.clock(),
      );
      return preview;
    },
  );

  app.post(
    '/v1/cases/:id/decisions',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary:
          'Decide the case you hold: the decision acts at once, or waits for a second reviewer under a four-eyes rule',
        params,
        body: decisionBody,
        response: {
          201: z.object({
            decision_id: uuid.nullable(),
            status: z.string(),
            case_status: z.string(),
            actions: z.array(plannedAction),
            statement_url: z.string().nullable(),
            strikes: z
              .array(
                z.object({
                  key_kind: z.string(),
                  key: z.string(),
                  strikes: z.number().int(),
                  measure: z.enum(['none', 'warning', 'suspension']),
                  decision_id: z.string().nullable(),
                }),
              )
              .optional()
              .describe(
                'DSA Art. 23: the strikes this decision adds, and the warning or suspension they led to',
              ),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await decideCase(
            ctx,
            request.actor!,
            request.params.id,
            request.body as DecisionInput,
            ctx.clock(),
          ),
        ),
  );

  app.post(
    '/v1/decisions/:id/approve',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Approve a decision waiting under the four-eyes rule (not its author)',
        params,
      },
    },
    async (request) => approveDecision(ctx, request.actor!, request.params.id, ctx.clock()),
  );

  app.post(
    '/v1/decisions/:id/refuse',
    {
      config: { access: 'cases:work' },
      schema: {
        tags: ['review desk'],
        summary: 'Refuse a decision waiting under the four-eyes rule; the case returns to the queue',
        params,
        body: z.strictObject({ reason: text(2000) }),
      },
    },
    async (request) =>
      refuseApproval(ctx, request.actor!, request.params.id, request.body.reason, ctx.clock()),
  );

  app.post(
    '/v1/actions/:id/retry',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['review desk'],
        summary: 'Retry an enforcement action that failed, once its cause is fixed',
        params,
      },
    },
    async (request, reply) => {
      await retryAction(ctx.db, request.actor!, request.params.id, ctx.clock());
      return reply.code(202).send();
    },
  );

  app.get(
    '/v1/decision-templates',
    {
      config: { access: 'cases:read' },
      schema: {
        tags: ['review desk'],
        summary: 'Decision templates per category, in Indonesian and English',
        querystring: z.strictObject({
          category: z.string().max(40).optional(),
          language: z.enum(['id', 'en']).optional(),
        }),
      },
    },
    async (request) => ({ items: decisionTemplates(request.query) }),
  );

  app.get(
    '/v1/statements/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['statements of reasons'],
        summary: 'The statement of reasons, for the affected user, at its unguessable link',
        params: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9]{40}$/, 'the token from your link') }),
        response: {
          200: z.object({
            statement: z.record(z.string(), z.unknown()),
            issued_at: timestamp,
            appeal_until: timestamp,
            appeal: z.unknown().nullable(),
          }),
        },
      },
    },
    async (request) => readStatement(ctx.db, request.params.token),
  );
};
