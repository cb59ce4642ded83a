import { z } from 'zod';

/**
 * The one interface between the enforcement outbox worker and a platform. A connector turns
 * an action (what a decision asks for) into calls on one platform's API, and answers with
 * an outcome the worker can act on without knowing the platform:
 *
 * - `applied`: the effect now holds because of this call;
 * - `already_done`: the effect already held (a retry after a lost answer, or someone else
 *   did it): the goal holds, record it as applied;
 * - `retry`: nothing is known to have gone wrong for good (rate limit, 5xx, network,
 *   timeout); try again, no earlier than `after_ms` when given;
 * - `failed`: retrying the same call cannot succeed (missing rights, bad request); a person
 *   has to look. `detail` says what to do.
 *
 * Retrying is always safe: `action_id` is the idempotency key, reused by every attempt.
 */
export const actionTypes = [
  'remove_message',
  'hide_message',
  'restrict_member',
  'ban_member',
  'suspend_account',
  'suspend_channel',
  'restrict_in_jurisdiction',
  'label',
  'deliver_statement',
  // DSA Art. 17(1)'s other restrictions (docs/decisions/0018).
  'disable_access',
  'demote_content',
  'age_restrict',
  'restrict_interaction',
  'suspend_monetisation',
  'terminate_monetisation',
  'suspend_service',
  'terminate_service',
  /** A repeat-infringer warning (DSA Art. 23(1)) to the account or channel: restricts nothing. */
  'deliver_warning',
] as const;
export type ActionType = (typeof actionTypes)[number];

/**
 * What the action is about: a message, a member of a chat, a channel, an account. The
 * fields of a notice's subject (src/notices/targets.ts), plus user_id for member actions.
 */
export const enforcementSubjectSchema = z.strictObject({
  platform: z.string().min(1).max(40),
  /** e.g. message, member, channel, group, bot, account. */
  kind: z.string().min(1).max(40),
  /** The canonical subject key the case is filed under. */
  key: z.string().min(1).max(500),
  username: z.string().max(64).optional(),
  /**
   * The chat: "-100<digits>" (Bot API form), "<digits>" (t.me/c/<id> form, as notices record
   * it), "-<digits>" (a basic group) or a username.
   */
  chat_id: z.string().max(64).optional(),
  message_id: z.number().int().positive().optional(),
  /** A forum topic or reply thread; informational. */
  thread_id: z.number().int().positive().optional(),
  /** A comment on a channel post: a message of the channel's discussion group. */
  comment_id: z.number().int().positive().optional(),
  invite_hash: z.string().max(200).optional(),
  /** For web subjects: the host. */
  host: z.string().max(253).optional(),
  /** Numeric user id as text: Telegram ids can exceed 32 bits. */
  user_id: z
    .string()
    .regex(/^\d{1,16}$/)
    .optional(),
  url: z.string().min(1).max(2000),
});

export const enforcementParamsSchema = z.strictObject({
  /** End of a restriction or suspension (RFC 3339); absent means permanent. */
  until: z.iso.datetime({ offset: true }).optional(),
  /** ISO 3166-1 alpha-2 codes, for restrict_in_jurisdiction. */
  territories: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
  label: z.string().max(200).optional(),
  /** For restrict_member: the permissions to leave the member; default all false. */
  permissions: z.record(z.string(), z.boolean()).optional(),
  /** For deliver_statement: where the affected user reads the statement of reasons. */
  statement_url: z.string().max(2000).optional(),
  /** For suspend_service / terminate_service: part of the service, or all of it. */
  scope: z.enum(['partial', 'total']).optional(),
  /** For age_restrict: the minimum age. */
  min_age: z.number().int().min(1).max(99).optional(),
  /** A short reason for the platform's own records; never the content itself. */
  reason: z.string().max(2000).optional(),
});

/**
 * One action, as the outbox carries it. The worker can validate a payload read back from
 * the outbox with this schema; the webhook connector sends it as is.
 */
export const enforcementActionSchema = z.strictObject({
  /** The idempotency key: one per action; every retry, by any worker, reuses it. */
  action_id: z.string().min(1).max(100),
  type: z.enum(actionTypes),
  subject: enforcementSubjectSchema,
  params: enforcementParamsSchema,
  case_id: z.string().min(1).max(100),
  decision_id: z.string().min(1).max(100),
});

export type EnforcementSubject = z.infer<typeof enforcementSubjectSchema>;
export type EnforcementParams = z.infer<typeof enforcementParamsSchema>;
export type EnforcementAction = z.infer<typeof enforcementActionSchema>;

export type ConnectorOutcome =
  | { status: 'applied'; external_ref?: string; detail?: string }
  | { status: 'already_done'; external_ref?: string; detail: string }
  | { status: 'retry'; after_ms?: number; detail: string }
  | { status: 'failed'; detail: string };

/** What the platform says holds now. `unknown` where its API offers no way to ask. */
export interface ConnectorStatus {
  state: 'applied' | 'not_applied' | 'unknown';
  detail?: string;
}

export interface Capability {
  revertible: boolean;
  /** What a revert does and does not restore, for the reviewer and the statement of reasons. */
  note?: string;
}

export interface Connector {
  readonly name: string;
  /** The action types it can apply, and for each whether it can revert it. */
  readonly capabilities: Partial<Record<ActionType, Capability>>;
  apply(action: EnforcementAction): Promise<ConnectorOutcome>;
  /** Undoes an applied action; `already_done` when it was not (or no longer) in effect. */
  revert(action: EnforcementAction): Promise<ConnectorOutcome>;
  status(action: EnforcementAction): Promise<ConnectorStatus>;
}

export type Reversibility = { supported: false } | { supported: true; revertible: boolean; note?: string };

/**
 * Whether the connector can apply the action type, and undo it. The desk warns a reviewer
 * before an action that cannot be undone, and the statement of reasons records it.
 */
export function reversibility(connector: Pick<Connector, 'capabilities'>, type: ActionType): Reversibility {
  const capability = connector.capabilities[type];
  if (!capability) return { supported: false };
  return capability.note === undefined
    ? { supported: true, revertible: capability.revertible }
    : { supported: true, revertible: capability.revertible, note: capability.note };
}

export function canRevert(connector: Pick<Connector, 'capabilities'>, type: ActionType): boolean {
  return connector.capabilities[type]?.revertible === true;
}

/** The outcome for an action type the connector does not handle: no retry will help. */
export function unsupported(
  connector: Pick<Connector, 'name'>,
  type: ActionType,
  operation: 'apply' | 'revert',
): ConnectorOutcome {
  return {
    status: 'failed',
    detail:
      operation === 'apply'
        ? `the ${connector.name} connector cannot apply ${type}; route it to a connector that lists it`
        : `the ${connector.name} connector cannot revert ${type}: the effect is permanent`,
  };
}
