import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { signatureHeader, signWebhook } from '../enforcement/connectors/webhook-signature.ts';
import { type ClaimedMessage, PermanentFailure, RetryLater, type TopicHandler } from '../outbox/worker.ts';
import { keyringOf } from '../secrets/bound.ts';
import { reveal } from '../secrets/envelope.ts';
import { secretContext } from '../secrets/stored.ts';
import type { Db } from '../store/db.ts';
import type { WebhookMessage } from './events.ts';
import { postPinned } from './pinned-post.ts';
import { isPublicAddress, type Lookup, RefusedTarget, resolveTarget } from './webhook-target.ts';

interface DeliveryDeps {
  db: Db;
  clock: Clock;
  allowPrivateNetworks: boolean;
  timeoutMs?: number;
  /** Tests: the resolver, and which addresses count as public. */
  lookup?: Lookup;
  allowAddress?: (address: string) => boolean;
}

/**
 * Delivers one notice event to one webhook: a POST of
 * `{id, type, created_at, notice_id, data}` signed as `tapis-signature: t=…,v1=…`, with the
 * event id also in `tapis-event-id` so that a receiver recognises a repeat. Every attempt is
 * logged; failures are retried by the outbox with exponential backoff, for about two days.
 */
export function webhookDeliveryHandler(deps: DeliveryDeps): TopicHandler {
  return {
    backoff: { baseMs: 2_000, maxMs: 30 * 60_000, maxAttempts: 100 },
    handle: (message) => deliver(deps, message),
  };
}

const webhookSecret = { table: 'webhooks', column: 'secret' } as const;

async function deliver(deps: DeliveryDeps, message: ClaimedMessage): Promise<void> {
  const { webhook_id, event_id } = message.payload as WebhookMessage;
  // The hook and its event in one read: a delivery is one of the most frequent messages.
  const hook = await deps.db
    .selectFrom('webhooks')
    .leftJoin('notice_events as e', (join) => join.on('e.id', '=', event_id))
    .select([
      'webhooks.url',
      'webhooks.secret',
      'webhooks.disabled_at',
      'e.id as event_id',
      'e.type',
      'e.notice_id',
      'e.data',
      'e.at',
    ])
    .where('webhooks.id', '=', webhook_id)
    .executeTakeFirst();
  // A webhook disabled since: the message is done, nothing to send.
  if (!hook || hook.disabled_at) return;
  if (hook.event_id === null || hook.type === null || hook.at === null)
    throw new Error(`notice event ${event_id} is not there (yet)`);
  const event = {
    id: hook.event_id,
    type: hook.type,
    notice_id: hook.notice_id,
    data: hook.data,
    at: hook.at,
  };
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.at.toISOString(),
    notice_id: event.notice_id,
    data: event.data,
  });

  const began = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    // A secret this process cannot open (wrong TAPIS_SECRET_KEY) is an attempt that failed
    // with a message that says which key it needs; it is retried, as any other failure.
    const secret = reveal(keyringOf(deps.db), hook.secret, secretContext(webhookSecret, webhook_id));
    const url = new URL(hook.url);
    // Resolved once and checked; the connection goes to that very address (no DNS rebinding).
    const allowAddress = deps.allowAddress ?? (deps.allowPrivateNetworks ? () => true : isPublicAddress);
    const target = await resolveTarget(url, {
      allowAddress,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    }).catch((caught: unknown) => {
      throw caught instanceof RefusedTarget ? new PermanentFailure(caught.message) : caught;
    });
    const response = await postPinned(
      url,
      target,
      {
        'content-type': 'application/json',
        'user-agent': 'tapis-webhooks/1',
        'tapis-event-id': event.id,
        'tapis-event-type': event.type,
        [signatureHeader]: signWebhook(secret, body, deps.clock().getTime() / 1000),
      },
      body,
      deps.timeoutMs ?? 10_000,
    );
    status = response.status;
    if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
    if (status === 429 || status === 503) {
      const after = Number(response.headers['retry-after']);
      if (Number.isFinite(after) && after > 0) throw new RetryLater(error!, Math.min(after, 3600) * 1000);
    }
  } catch (caught) {
    if (caught instanceof RetryLater || caught instanceof PermanentFailure) {
      error = caught.message;
      await logAttempt(deps, webhook_id, event_id, message, status, error, began);
      throw caught;
    }
    error =
      caught instanceof Error
        ? caught.name === 'TimeoutError' || caught.name === 'AbortError'
          ? 'timed out'
          : caught.message
        : String(caught);
  }
  await logAttempt(deps, webhook_id, event_id, message, status, error, began);
  if (error) throw new Error(error);
}

async function logAttempt(
  deps: { db: Db; clock: Clock },
  webhookId: string,
  eventId: string,
  message: ClaimedMessage,
  status: number | null,
  error: string | null,
  began: number,
): Promise<void> {
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
