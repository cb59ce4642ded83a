import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/log.ts';
import { forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { enqueue } from '../outbox/outbox.ts';
import { keyringOf } from '../secrets/bound.ts';
import { protect } from '../secrets/envelope.ts';
import { secretContext } from '../secrets/stored.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { noticeEventTypes, WEBHOOK_TOPIC, type WebhookMessage, webhookEndpoint } from './events.ts';
import { isPrivateHost } from './webhook-target.ts';

/**
 * A flagger organisation's webhooks: where its notices' events are pushed, signed with
 * HMAC-SHA256 over the timestamp and the body (see src/enforcement/connectors/
 * webhook-signature.ts). The secret is shown once, at registration.
 */
export interface WebhookView {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

/**
 * Addresses a webhook may not point at, unless the operator allows it (SSRF): judged with
 * ipaddr.js ranges (src/notices/webhook-target.ts). A name is resolved, checked and pinned
 * again at each delivery.
 */
export function isPrivateAddress(host: string): boolean {
  return isPrivateHost(host);
}

export async function registerWebhook(
  db: Db,
  actor: Actor,
  input: { url: string; event_types?: string[] | undefined; description?: string | undefined },
  options: { allowPrivateNetworks: boolean },
  now: Date,
): Promise<{ webhook: WebhookView; secret: string }> {
  if (actor.orgKind === 'platform')
    throw forbidden(
      'webhooks carry a flagger organisation’s notice events; the platform has its own connectors',
    );
  const url = new URL(input.url);
  if (url.protocol !== 'https:' && !(options.allowPrivateNetworks && url.protocol === 'http:')) {
    throw invalid('a webhook must use https', [{ pointer: '/url', detail: 'not https' }]);
  }
  if (url.username || url.password)
    throw invalid('put no credentials in the webhook URL; verify the signature instead', [
      { pointer: '/url', detail: 'credentials in URL' },
    ]);
  if (!options.allowPrivateNetworks && isPrivateAddress(url.hostname)) {
    throw invalid('a webhook may not point at a private or loopback address', [
      { pointer: '/url', detail: 'private address' },
    ]);
  }
  const unknown = (input.event_types ?? []).filter(
    (t) => !(noticeEventTypes as readonly string[]).includes(t),
  );
  if (unknown.length > 0)
    throw invalid(`unknown event types: ${unknown.join(', ')}`, [
      { pointer: '/event_types', detail: `known: ${noticeEventTypes.join(', ')}` },
    ]);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const webhook: WebhookView = {
    id: newId(),
    url: url.toString(),
    event_types: input.event_types ?? [],
    description: input.description ?? null,
    created_at: now,
    disabled_at: null,
  };
  // Sealed at rest under TAPIS_SECRET_KEY (src/secrets/): delivery needs it back, so no hash.
  const stored = protect(
    keyringOf(db),
    secret,
    secretContext({ table: 'webhooks', column: 'secret' }, webhook.id),
  );
  await transact(db, async (trx) => {
    await trx
      .insertInto('webhooks')
      .values({ ...webhook, org_id: actor.orgId, secret: stored, created_by: actor.id })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'webhook.registered',
        objectType: 'webhook',
        objectId: webhook.id,
        change: { url: webhook.url, event_types: webhook.event_types },
      },
      now,
    );
  });
  return { webhook, secret };
}

export async function listWebhooks(db: Db, actor: Actor): Promise<WebhookView[]> {
  return db
    .selectFrom('webhooks')
    .select(['id', 'url', 'event_types', 'description', 'created_at', 'disabled_at'])
    .where('org_id', '=', actor.orgId)
    .orderBy('created_at')
    .execute();
}

async function ownWebhook(db: Db, actor: Actor, id: string) {
  const hook = await db
    .selectFrom('webhooks')
    .select(['id', 'org_id', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!hook || hook.org_id !== actor.orgId) throw notFound(`no webhook ${id}`);
  return hook;
}

export async function disableWebhook(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await ownWebhook(db, actor, id);
  await transact(db, async (trx) => {
    await trx
      .updateTable('webhooks')
      .set({ disabled_at: now })
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'webhook.disabled', objectType: 'webhook', objectId: id, change: { disabled_at: now } },
      now,
    );
  });
}

/** The delivery log: every attempt, newest first, for the flagger_admin. */
export async function webhookDeliveries(db: Db, actor: Actor, id: string, limit: number) {
  await ownWebhook(db, actor, id);
  const attempts = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('notice_events', 'notice_events.id', 'webhook_deliveries.event_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.event_id',
      'notice_events.type as event_type',
      'notice_events.notice_id',
      'webhook_deliveries.attempt',
      'webhook_deliveries.status_code',
      'webhook_deliveries.error',
      'webhook_deliveries.duration_ms',
      'webhook_deliveries.at',
    ])
    .where('webhook_id', '=', id)
    .orderBy('webhook_deliveries.at', 'desc')
    .limit(limit)
    .execute();
  const pending = await db
    .selectFrom('outbox')
    .select(['id', 'status', 'attempts', 'next_attempt_at', 'last_error', 'payload'])
    .where('topic', '=', WEBHOOK_TOPIC)
    .where('ordering_key', 'like', `${id}:%`)
    .where('status', '<>', 'done')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return {
    attempts,
    queue: pending.map((p) => ({
      event_id: (p.payload as WebhookMessage).event_id,
      status: p.status,
      attempts: p.attempts,
      next_attempt_at: p.next_attempt_at,
      last_error: p.last_error,
    })),
  };
}

/** Manual redelivery of one event, e.g. after the receiver was fixed. */
export async function redeliverEvent(
  db: Db,
  actor: Actor,
  webhookId: string,
  eventId: string,
  now: Date,
): Promise<void> {
  await ownWebhook(db, actor, webhookId);
  const event = await db
    .selectFrom('notice_events')
    .select(['id', 'notice_id', 'org_id'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event || event.org_id !== actor.orgId) throw notFound(`no event ${eventId}`);
  await transact(db, async (trx) => {
    await enqueue(
      trx,
      {
        topic: WEBHOOK_TOPIC,
        orderingKey: `${webhookId}:${event.notice_id}`,
        endpoint: webhookEndpoint(webhookId),
        payload: { webhook_id: webhookId, event_id: eventId } satisfies WebhookMessage,
      },
      now,
    );
    await appendAudit(
      trx,
      actor,
      {
        action: 'webhook.redelivery_requested',
        objectType: 'webhook',
        objectId: webhookId,
        change: { event_id: eventId },
      },
      now,
    );
  });
}
