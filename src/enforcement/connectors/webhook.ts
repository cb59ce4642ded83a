import { z } from 'zod';
import { type Clock, systemClock } from '../../core/clock.ts';
import {
  type ActionType,
  actionTypes,
  type Capability,
  type Connector,
  type ConnectorOutcome,
  type ConnectorStatus,
  type EnforcementAction,
  enforcementActionSchema,
  unsupported,
} from './connector.ts';
import { parseJson, postJson, retryAfterMs } from './transport.ts';
import { signatureHeader, signWebhook } from './webhook-signature.ts';

/**
 * Connector (a): a signed POST to the platform's own moderation API.
 *
 *   POST {url}
 *   content-type: application/json
 *   tapis-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">  (webhook-signature.ts)
 *   idempotency-key: <action_id>:<operation>
 *
 *   { "id": action_id, "operation": "apply" | "revert" | "status", "action": {…}, "sent_at": "…" }
 *
 * The platform answers 200/201 with `{ status, external_ref?, detail? }`, 409 when the same
 * idempotency key was already carried out, 429 (with Retry-After) to slow us down. Every
 * retry sends the same key, so the platform applies each operation of an action once.
 */
export const webhookOperations = ['apply', 'revert', 'status'] as const;
export type WebhookOperation = (typeof webhookOperations)[number];

export const webhookRequestSchema = z
  .strictObject({
    id: z.string().min(1).max(100).describe('The action id; also the stem of the idempotency-key header'),
    operation: z.enum(webhookOperations),
    action: enforcementActionSchema,
    sent_at: z.iso.datetime({ offset: true }),
  })
  .describe(
    'An enforcement call from tapis to a platform. Signed: tapis-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; ' +
      'reject a t more than 300 s from your clock. idempotency-key: <id>:<operation>; a repeat must not act twice.',
  );

export const webhookAnswerSchema = z
  .object({
    status: z.enum(['applied', 'already_done', 'reverted', 'not_applied']),
    external_ref: z.string().max(500).optional(),
    detail: z.string().max(2000).optional(),
  })
  .describe(
    "The platform's answer (200 or 201). 409 means already done; 429 with Retry-After, 5xx and timeouts are retried; other 4xx fail.",
  );

export type WebhookRequest = z.infer<typeof webhookRequestSchema>;
export type WebhookAnswer = z.infer<typeof webhookAnswerSchema>;

export interface WebhookConnectorConfig {
  url: string;
  secret: string;
  timeoutMs: number;
  clock?: Clock;
}

type CallResult = { kind: 'answer'; answer: WebhookAnswer } | { kind: 'outcome'; outcome: ConnectorOutcome };

const maxRemoteDetail = 300;

export class WebhookConnector implements Connector {
  readonly name = 'webhook';
  /**
   * The platform holds the content, so it can hide and restore, suspend and reinstate.
   * A delivered statement of reasons is the exception: it cannot be taken back, only
   * followed by a new one.
   */
  readonly capabilities: Partial<Record<ActionType, Capability>> = Object.fromEntries(
    actionTypes.map((type) => [
      type,
      { revertible: type !== 'deliver_statement' && type !== 'deliver_warning' },
    ]),
  );
  private readonly clock: Clock;

  constructor(private readonly config: WebhookConnectorConfig) {
    this.clock = config.clock ?? systemClock;
  }

  async apply(action: EnforcementAction): Promise<ConnectorOutcome> {
    if (!this.capabilities[action.type]) return unsupported(this, action.type, 'apply');
    const result = await this.call('apply', action);
    if (result.kind === 'outcome') return result.outcome;
    const { status, external_ref: ref, detail } = result.answer;
    if (status === 'applied') return withRef({ status: 'applied', ...(detail ? { detail } : {}) }, ref);
    if (status === 'already_done')
      return withRef(
        { status: 'already_done', detail: detail ?? 'the platform had already applied it' },
        ref,
      );
    return {
      status: 'failed',
      detail: `the platform answered ${status} to apply${detail ? `: ${clip(detail)}` : ''}`,
    };
  }

  async revert(action: EnforcementAction): Promise<ConnectorOutcome> {
    if (!this.capabilities[action.type]?.revertible) return unsupported(this, action.type, 'revert');
    const result = await this.call('revert', action);
    if (result.kind === 'outcome') return result.outcome;
    const { status, external_ref: ref, detail } = result.answer;
    if (status === 'reverted') return withRef({ status: 'applied', ...(detail ? { detail } : {}) }, ref);
    // Not in effect, by an earlier revert or because it never was: the goal holds.
    if (status === 'already_done' || status === 'not_applied') {
      return withRef({ status: 'already_done', detail: detail ?? `the platform reports ${status}` }, ref);
    }
    return {
      status: 'failed',
      detail: `the platform answered ${status} to revert${detail ? `: ${clip(detail)}` : ''}`,
    };
  }

  async status(action: EnforcementAction): Promise<ConnectorStatus> {
    const result = await this.call('status', action);
    if (result.kind === 'outcome') {
      const outcome = result.outcome;
      return { state: outcome.status === 'already_done' ? 'applied' : 'unknown', detail: outcome.detail };
    }
    const { status, detail } = result.answer;
    const state = status === 'applied' || status === 'already_done' ? 'applied' : 'not_applied';
    return detail ? { state, detail } : { state };
  }

  private async call(operation: WebhookOperation, action: EnforcementAction): Promise<CallResult> {
    const now = this.clock();
    const request: WebhookRequest = { id: action.action_id, operation, action, sent_at: now.toISOString() };
    const body = JSON.stringify(request);
    const sent = await postJson(
      this.config.url,
      body,
      {
        [signatureHeader]: signWebhook(this.config.secret, body, now.getTime() / 1000),
        'idempotency-key': `${action.action_id}:${operation}`,
      },
      this.config.timeoutMs,
    );
    if (sent.kind === 'unreachable')
      return outcome({ status: 'retry', detail: `platform unreachable: ${sent.detail}` });
    const { status, headers, text } = sent;
    const remote = remoteDetail(text);
    if (status === 200 || status === 201) {
      const answer = webhookAnswerSchema.safeParse(parseJson(text));
      if (answer.success) return { kind: 'answer', answer: answer.data };
      // The call may have taken effect; asking again under the same key is harmless.
      return outcome({
        status: 'retry',
        detail: `the platform answered ${status} with a body that is not a webhook answer`,
      });
    }
    if (status === 409)
      return outcome({
        status: 'already_done',
        detail: remote ?? 'the platform had already carried out this call (409)',
      });
    if (status === 429) {
      const after = retryAfterMs(headers.get('retry-after'), now);
      return outcome({
        status: 'retry',
        ...(after === undefined ? {} : { after_ms: after }),
        detail: 'rate limited by the platform (429)',
      });
    }
    if (status >= 500 || status === 408)
      return outcome({ status: 'retry', detail: `platform error ${status}${remote ? `: ${remote}` : ''}` });
    if (status === 401 || status === 403) {
      return outcome({
        status: 'failed',
        detail: `the platform refused the call (${status}): check the shared secret and the server clocks${remote ? `; it said: ${remote}` : ''}`,
      });
    }
    return outcome({
      status: 'failed',
      detail: `the platform rejected the call (${status})${remote ? `: ${remote}` : ''}`,
    });
  }
}

function outcome(value: ConnectorOutcome): CallResult {
  return { kind: 'outcome', outcome: value };
}

function withRef<T extends ConnectorOutcome & { status: 'applied' | 'already_done' }>(
  value: T,
  ref: string | undefined,
): T {
  return ref === undefined ? value : { ...value, external_ref: ref };
}

/** A short human detail from an error body (`detail`, `title` or `message`), if any. */
function remoteDetail(text: string): string | undefined {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['detail', 'title', 'message', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return clip(value);
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > maxRemoteDetail ? `${text.slice(0, maxRemoteDetail)}…` : text;
}
