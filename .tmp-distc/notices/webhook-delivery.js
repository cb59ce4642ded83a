import { lookup } from 'node:dns/promises';
import { newId } from "../core/ids.js";
import { signatureHeader, signWebhook } from "../enforcement/connectors/webhook-signature.js";
import { PermanentFailure, RetryLater } from "../outbox/worker.js";
import { isPrivateAddress } from "./webhooks.js";
/**
 * Delivers one notice event to one webhook: a POST of
 * `{id, type, created_at, notice_id, data}` signed as `tapis-signature: t=…,v1=…`, with the
 * event id also in `tapis-event-id` so that a receiver recognises a repeat. Every attempt is
 * logged; failures are retried by the outbox with exponential backoff, for about two days.
 */
export function webhookDeliveryHandler(deps) {
    return {
        backoff: { baseMs: 2_000, maxMs: 30 * 60_000, maxAttempts: 100 },
        handle: (message) => deliver(deps, message),
    };
}
async function deliver(deps, message) {
    const { webhook_id, event_id } = message.payload;
    const hook = await deps.db
        .selectFrom('webhooks')
        .select(['url', 'secret', 'disabled_at'])
        .where('id', '=', webhook_id)
        .executeTakeFirst();
    // A webhook disabled since: the message is done, nothing to send.
    if (!hook || hook.disabled_at)
        return;
    const event = await deps.db
        .selectFrom('notice_events')
        .select(['id', 'type', 'notice_id', 'data', 'at'])
        .where('id', '=', event_id)
        .executeTakeFirstOrThrow();
    const body = JSON.stringify({
        id: event.id,
        type: event.type,
        created_at: event.at.toISOString(),
        notice_id: event.notice_id,
        data: event.data,
    });
    const began = performance.now();
    let status = null;
    let error = null;
    try {
        const url = new URL(hook.url);
        if (!deps.allowPrivateNetworks)
            await refusePrivateResolution(url.hostname);
        const response = await fetch(url, {
            method: 'POST',
            redirect: 'manual',
            signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
            headers: {
                'content-type': 'application/json',
                'user-agent': 'tapis-webhooks/1',
                'tapis-event-id': event.id,
                'tapis-event-type': event.type,
                [signatureHeader]: signWebhook(hook.secret, body, deps.clock().getTime() / 1000),
            },
            body,
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        if (status < 200 || status >= 300)
            error = `the receiver answered ${status}`;
        if (status === 429 || status === 503) {
            const after = Number(response.headers.get('retry-after'));
            if (Number.isFinite(after) && after > 0)
                throw new RetryLater(error, Math.min(after, 3600) * 1000);
        }
    }
    catch (caught) {
        if (caught instanceof RetryLater || caught instanceof PermanentFailure) {
            error = caught.message;
            await logAttempt(deps, webhook_id, event_id, message, status, error, began);
            throw caught;
        }
        error =
            caught instanceof Error
                ? caught.name === 'TimeoutError'
                    ? 'timed out'
                    : caught.message
                : String(caught);
    }
    await logAttempt(deps, webhook_id, event_id, message, status, error, began);
    if (error)
        throw new Error(error);
}
async function refusePrivateResolution(hostname) {
    const addresses = await lookup(hostname, { all: true });
    if (addresses.some((a) => isPrivateAddress(a.address)))
        throw new PermanentFailure(`${hostname} resolves to a private address`);
}
async function logAttempt(deps, webhookId, eventId, message, status, error, began) {
    await deps.db
        .insertInto('webhook_deliveries')
        .values({
        id: newId(),
        webhook_id: webhookId,
        event_id: eventId,
        outbox_id: message.id,
        attempt: message.attempt,
        status_code: status,
        error: error?.slice(0, 500) ?? null,
        duration_ms: Math.round(performance.now() - began),
        at: deps.clock(),
    })
        .execute();
}
