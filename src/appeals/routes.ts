import { z } from 'zod';
import { deadlineSchema } from '../deadlines/schemas.ts';
import type { RouteModule } from '../http/route-module.ts';
import { email, text, timestamp, uuid } from '../http/schemas.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import { decideAppeal } from './decide.ts';
import { appealAsAffectedUser, appealAsNotifier } from './lodge.ts';
import { appealView, claimAppeal, listAppeals, reassignAppeal } from './queue.ts';
import { appealOutcomes } from './rules.ts';

const params = z.strictObject({ id: uuid });
/** DSA Art. 20(4): the appeal's clock; null for an appeal lodged before appeals had one. */
const deadline = deadlineSchema.nullable();
const grounds = text(10_000).describe('Why the decision was wrong, in the appellant’s words');
const appealState = z.object({
  id: uuid,
  case_id: uuid,
  status: z.string(),
  assigned_to: uuid.nullable(),
  lease_until: timestamp.nullable(),
});
const toState = (row: {
  id: string;
  case_id: string;
  status: string;
  assigned_to: string | null;
  lease_until: Date | null;
}) => ({
  id: row.id,
  case_id: row.case_id,
  status: row.status,
  assigned_to: row.assigned_to,
  lease_until: row.lease_until,
});

/** Appeals (DSA Art. 20): lodged by the affected user or the notifier, decided by a different reviewer. */
export const appealRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/statements/:token/appeal',
    {
      // The statement's unguessable token is the credential: the affected user needs no account.
      config: { access: 'public' },
      schema: {
        tags: ['statements of reasons'],
        summary:
          'Appeal the decision explained at this link, within six months; free, and decided by a different reviewer',
        params: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9]{40}$/, 'the token from your link') }),
        body: z.strictObject({
          grounds,
          contact: z
            .strictObject({ email: email.optional() })
            .optional()
            .describe('Where to reach you, if you wish; never shown to the notifier'),
        }),
        response: {
          201: z.object({
            appeal_id: uuid,
            status: z.string(),
            decision_id: uuid,
            received_at: timestamp,
            due_at: timestamp.describe('When the platform is to have decided (DSA Art. 20(4))'),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await appealAsAffectedUser(ctx.db, request.params.token, request.body, ctx.clock())),
  );

  app.post(
    '/v1/notices/:id/appeals',
    {
      config: { access: 'notices:submit' },
      schema: {
        tags: ['government channel'],
        summary:
          'Appeal a decision not to act on your notice (no_action, reject_unsubstantiated), within six months',
        params,
        body: z.strictObject({
          grounds,
          target_indexes: z
            .array(z.number().int().min(0).max(999))
            .min(1)
            .max(1000)
            .optional()
            .describe('The targets whose decision you appeal; all that can be appealed when absent'),
        }),
        response: {
          201: z.object({
            items: z.array(
              z.object({
                appeal_id: uuid,
                case_id: uuid,
                decision_id: uuid,
                target_indexes: z.array(z.number().int()),
                status: z.string(),
                appeal_until: timestamp,
                due_at: timestamp.describe('When the platform is to have decided (DSA Art. 20(4))'),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await appealAsNotifier(ctx.db, request.actor!, request.params.id, request.body, ctx.clock())),
  );

  app.get(
    '/v1/appeals',
    {
      config: { access: 'appeals:decide' },
      schema: {
        tags: ['appeals'],
        summary:
          'Appeals waiting for a decision, oldest first; never those on decisions you made or approved',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: uuid,
                case_id: uuid,
                decision_id: uuid,
                appellant_type: z.string(),
                notice_id: uuid.nullable(),
                grounds: z.string(),
                status: z.string(),
                assigned_to: uuid.nullable(),
                lease_until: timestamp.nullable(),
                created_at: timestamp,
                decision_outcome: z.string(),
                decided_by: uuid,
                decided_at: timestamp,
                subject: z.unknown(),
                subject_key: z.string(),
                jurisdiction: z.string(),
                language: z.string(),
                category: z.string(),
                due_at: timestamp.nullable(),
                deadline,
                may_decide: z.boolean(),
                held_by_me: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: await listAppeals(
        ctx.db,
        request.actor!,
        request.query,
        ctx.clock(),
        (await currentPolicy(ctx.db)).document.at_risk_thresholds,
      ),
    }),
  );

  app.get(
    '/v1/appeals/:id',
    {
      config: { access: 'cases:read' },
      schema: {
        tags: ['appeals'],
        summary: 'An appeal: its grounds, status, outcome and clock (DSA Art. 20(4))',
        params,
        querystring: z.strictObject({}),
        response: {
          200: z.object({
            id: uuid,
            case_id: uuid,
            decision_id: uuid,
            appellant_type: z.string(),
            notice_id: uuid.nullable(),
            grounds: z.string(),
            status: z.string(),
            assigned_to: uuid.nullable(),
            lease_until: timestamp.nullable(),
            created_at: timestamp,
            decided_by: uuid.nullable(),
            decided_at: timestamp.nullable(),
            outcome: z.string().nullable(),
            reasons: z.string().nullable(),
            decision_outcome: z.string(),
            jurisdiction: z.string(),
            language: z.string(),
            category: z.string(),
            due_at: timestamp.nullable(),
            deadline,
          }),
        },
      },
    },
    async (request) =>
      appealView(
        ctx.db,
        request.params.id,
        ctx.clock(),
        (await currentPolicy(ctx.db)).document.at_risk_thresholds,
      ),
  );

  app.post(
    '/v1/appeals/:id/claim',
    {
      config: { access: 'appeals:decide' },
      schema: {
        tags: ['appeals'],
        summary: 'Claim the appeal (a 5-minute lease), or renew your lease',
        params,
        response: { 200: appealState },
      },
    },
    async (request) => toState(await claimAppeal(ctx.db, request.actor!, request.params.id, ctx.clock())),
  );

  app.post(
    '/v1/appeals/:id/assign',
    {
      config: { access: 'cases:lead' },
      schema: {
        tags: ['appeals'],
        summary: 'A lead hands the appeal to a reviewer who took no part in the decision',
        params,
        body: z.strictObject({ reviewer_id: uuid }),
        response: { 200: appealState },
      },
    },
    async (request) =>
      toState(
        await reassignAppeal(
          ctx.db,
          request.actor!,
          request.params.id,
          request.body.reviewer_id,
          ctx.clock(),
        ),
      ),
  );

  app.post(
    '/v1/appeals/:id/decision',
    {
      config: { access: 'appeals:decide' },
      schema: {
        tags: ['appeals'],
        summary:
          'Decide the appeal you hold: upheld reverses the decision, rejected lets it stand; the reasons go to the appellant',
        params,
        body: z.strictObject({
          outcome: z.enum(appealOutcomes),
          reasons: text(10_000).describe('Sent to the appellant (DSA Art. 20(5))'),
        }),
        response: {
          200: z.object({
            appeal_id: uuid,
            outcome: z.string(),
            case_status: z.string(),
            reverts: z.number().int(),
          }),
        },
      },
    },
    async (request) => decideAppeal(ctx.db, request.actor!, request.params.id, request.body, ctx.clock()),
  );
};
