import { z } from 'zod';
import { timestamp, uuid } from '../http/schemas.ts';
import { objectionSchema } from '../objections/schemas.ts';
import { ladderSchema } from '../orders/escalation-schemas.ts';
import { ministryRequestSchema } from './ministry-request.ts';

/** Response shapes of the notice routes, for validation and the OpenAPI document. */
export const subjectSchema = z
  .object({
    platform: z.string(),
    kind: z.string(),
    key: z.string(),
    url: z.string(),
    username: z.string().optional(),
    chat_id: z.string().optional(),
    message_id: z.number().optional(),
    thread_id: z.number().optional(),
    comment_id: z.number().optional(),
    invite_hash: z.string().optional(),
    host: z.string().optional(),
  })
  .describe('A canonical subject: what a target points at');

export const intakeTargetSchema = subjectSchema.extend({
  index: z.number().int(),
  case_id: uuid.nullable(),
  status: z.enum(['opened_case', 'joined_case', 'already_actioned']),
  already_actioned: z.object({ case_id: uuid, outcome: z.string(), decided_at: timestamp }).optional(),
});

export const receiptAnswer = z.object({
  notice_id: uuid,
  received_at: timestamp,
  deadline: timestamp.describe('The legal deadline (net of pauses, it moves while a clarification is open)'),
  target_deadline: timestamp.describe('The internal target'),
  source_type: z.string(),
  targets: z.array(intakeTargetSchema),
  receipt: z.string().describe('A compact JWS (EdDSA) signed with a key published at /.well-known/jwks.json'),
  digest: z
    .string()
    .describe('SHA-256 of the canonical JSON (RFC 8785) of the notice as received, defaults applied'),
  evidence: z
    .array(
      z.object({
        id: uuid,
        filename: z.string(),
        content_type: z.string(),
        size: z.number().int(),
        sha256: z.string(),
        uploaded_at: timestamp,
      }),
    )
    .optional()
    .describe('The evidence files sent with a multipart notice, as stored'),
});

export const noticeSummary = z.object({
  id: uuid,
  org: z.string(),
  kind: z.string(),
  category: z.string(),
  jurisdiction: z.string(),
  source_type: z.string(),
  reference: z.string().nullable(),
  status: z.string(),
  received_at: timestamp,
  deadline: timestamp,
  target_deadline: timestamp,
  paused_since: timestamp.nullable(),
  order_kind: z.string().nullable(),
});

/** TCO Art. 3(7)-(8): declarations that pause the clock, and the final outcome. */
const impossibilitySchema = z.object({
  open: z
    .object({
      declared_at: timestamp,
      reason: z.string(),
      explanation: z.string(),
      target_indexes: z.array(z.number().int()).nullable(),
      resolved_at: timestamp.nullable(),
      resolved_by: z.enum(['notifier', 'platform']).nullable(),
    })
    .nullable()
    .describe('The declaration still open: the clock is paused until it is answered or ended'),
  declarations: z.array(
    z.object({
      declared_at: timestamp,
      reason: z.string(),
      explanation: z.string(),
      target_indexes: z.array(z.number().int()).nullable(),
      resolved_at: timestamp.nullable(),
      resolved_by: z.enum(['notifier', 'platform']).nullable(),
    }),
  ),
  for_good: z
    .object({
      at: timestamp,
      reason: z.string(),
      explanation: z.string(),
      target_indexes: z.array(z.number().int()).nullable(),
    })
    .nullable()
    .describe('Impossible for good: a final outcome, with its reasons'),
});

export const noticeDetail = z.object({
  id: uuid,
  org: z.string(),
  kind: z.string(),
  source_type: z.string(),
  category: z.string(),
  jurisdiction: z.string(),
  language: z.string(),
  legal_basis: z.string().nullable(),
  legal_references: z.unknown(),
  explanation: z.string(),
  reference: z.string().nullable(),
  notifier: z.unknown(),
  anonymous: z.boolean(),
  order: z.unknown(),
  order_kind: z
    .string()
    .nullable()
    .describe('tco_removal_order, dsa_article_9_order, mr5_order, court_order; null for notices'),
  status: z.string(),
  received_at: timestamp,
  deadline: timestamp,
  target_deadline: timestamp,
  clock: z.object({
    state: z.enum(['running', 'paused', 'at_risk', 'breached', 'stopped']),
    paused: z.boolean(),
    pauses: z.array(z.object({ paused_at: timestamp, resumed_at: timestamp.nullable(), reason: z.string() })),
  }),
  impossibility: impossibilitySchema,
  objections: z.array(objectionSchema).describe('Objections (SAMAN "sanggah") with their clocks and answers'),
  escalation: ladderSchema,
  policy_version: z.number().int(),
  closed_at: timestamp.nullable(),
  digest: z.string(),
  receipt: z.string(),
  targets: z.array(
    z.object({
      index: z.number().int(),
      raw: z.string(),
      subject: z.unknown(),
      case_id: uuid.nullable(),
      case_status: z.string().nullable(),
      outcome: z.string().nullable(),
      outcome_at: timestamp.nullable(),
    }),
  ),
  evidence: z.array(
    z.object({
      id: uuid,
      filename: z.string(),
      content_type: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      uploaded_at: timestamp,
      purged_at: timestamp.nullable(),
    }),
  ),
  ministry_request: ministryRequestSchema,
});
