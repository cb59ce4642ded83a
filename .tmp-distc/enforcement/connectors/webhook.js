import { z } from 'zod';
import { systemClock } from "../../core/clock.js";
import { actionTypes, enforcementActionSchema, unsupported, } from "./connector.js";
import { parseJson, postJson, retryAfterMs } from "./transport.js";
import { signatureHeader, signWebhook } from "./webhook-signature.js";
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
export const webhookOperations = ['apply', 'revert', 'status'];
export const webhookRequestSchema = z
    .strictObject({
    id: z.string().min(1).max(100).describe('The action id; also the stem of the idempotency-key header'),
    operation: z.enum(webhookOperations),
    action: enforcementActionSchema,
    sent_at: z.iso.datetime({ offset: true }),
})
    .describe('An enforcement call from tapis to a platform. Signed: tapis-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; ' +
    'reject a t more than 300 s from your clock. idempotency-key: <id>:<operation>; a repeat must not act twice.');
export const webhookAnswerSchema = z
    .object({
    status: z.enum(['applied', 'already_done', 'reverted', 'not_applied']),
    external_ref: z.string().max(500).optional(),
    detail: z.string().max(2000).optional(),
})
    .describe("The platform's answer (200 or 201). 409 means already done; 429 with Retry-After, 5xx and timeouts are retried; other 4xx fail.");
const maxRemoteDetail = 300;
export class WebhookConnector {
    config;
    name = 'webhook';
    /**
     * The platform holds the content, so it can hide and restore, suspend and reinstate.
     * A delivered statement of reasons is the exception: it cannot be taken back, only
     * followed by a new one.
     */
    capabilities = Object.fromEntries(actionTypes.map((type) => [type, { revertible: type !== 'deliver_statement' }]));
    clock;
    constructor(config) {
        this.config = config;
        this.clock = config.clock ?? systemClock;
    }
    async apply(action) {
        if (!this.capabilities[action.type])
            return unsupported(this, action.type, 'apply');
        const result = await this.call('apply', action);
        if (result.kind === 'outcome')
            return result.outcome;
        const { status, external_ref: ref, detail } = result.answer;
        if (status === 'applied')
            return withRef({ status: 'applied', ...(detail ? { detail } : {}) }, ref);
        if (status === 'already_done')
            return withRef({ status: 'already_done', detail: detail ?? 'the platform had already applied it' }, ref);
        return {
            status: 'failed',
            detail: `the platform answered ${status} to apply${detail ? `: ${clip(detail)}` : ''}`,
        };
    }
    async revert(action) {
        if (!this.capabilities[action.type]?.revertible)
            return unsupported(this, action.type, 'revert');
        const result = await this.call('revert', action);
        if (result.kind === 'outcome')
            return result.outcome;
        const { status, external_ref: ref, detail } = result.answer;
        if (status === 'reverted')
            return withRef({ status: 'applied', ...(detail ? { detail } : {}) }, ref);
        // Not in effect, by an earlier revert or because it never was: the goal holds.
        if (status === 'already_done' || status === 'not_applied') {
            return withRef({ status: 'already_done', detail: detail ?? `the platform reports ${status}` }, ref);
        }
        return {
            status: 'failed',
            detail: `the platform answered ${status} to revert${detail ? `: ${clip(detail)}` : ''}`,
        };
    }
    async status(action) {
        const result = await this.call('status', action);
        if (result.kind === 'outcome') {
            const outcome = result.outcome;
            return { state: outcome.status === 'already_done' ? 'applied' : 'unknown', detail: outcome.detail };
        }
        const { status, detail } = result.answer;
        const state = status === 'applied' || status === 'already_done' ? 'applied' : 'not_applied';
        return detail ? { state, detail } : { state };
    }
    async call(operation, action) {
        const now = this.clock();
        const request = { id: action.action_id, operation, action, sent_at: now.toISOString() };
        const body = JSON.stringify(request);
        const sent = await postJson(this.config.url, body, {
            [signatureHeader]: signWebhook(this.config.secret, body, now.getTime() / 1000),
            'idempotency-key': `${action.action_id}:${operation}`,
        }, this.config.timeoutMs);
        if (sent.kind === 'unreachable')
            return outcome({ status: 'retry', detail: `platform unreachable: ${sent.detail}` });
        const { status, headers, text } = sent;
        const remote = remoteDetail(text);
        if (status === 200 || status === 201) {
            const answer = webhookAnswerSchema.safeParse(parseJson(text));
            if (answer.success)
                return { kind: 'answer', answer: answer.data };
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
function outcome(value) {
    return { kind: 'outcome', outcome: value };
}
function withRef(value, ref) {
    return ref === undefined ? value : { ...value, external_ref: ref };
}
/** A short human detail from an error body (`detail`, `title` or `message`), if any. */
function remoteDetail(text) {
    const body = parseJson(text);
    if (typeof body !== 'object' || body === null)
        return undefined;
    const record = body;
    for (const key of ['detail', 'title', 'message', 'error']) {
        const value = record[key];
        if (typeof value === 'string' && value.length > 0)
            return clip(value);
    }
    return undefined;
}
function clip(text) {
    return text.length > maxRemoteDetail ? `${text.slice(0, maxRemoteDetail)}…` : text;
}
