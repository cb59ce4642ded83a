import { type RawBuilder, sql } from 'kysely';
import { newId } from '../core/ids.ts';
import { enqueue, type OutboxMessage } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import { type PendingStatement, runPending } from '../store/pipeline.ts';

/**
 * Every status change of a notice is an event, for the notifier: appended to the feed
 * (GET /v1/events) and handed to the organisation's webhooks through the outbox, in the
 * transaction of the change. Webhook messages are ordered per webhook and notice, so a
 * receiver sees one notice's events in the order they happened.
 */
export const noticeEventTypes = [
  'notice.received',
  'notice.clock.at_risk',
  'notice.clock.target_missed',
  'notice.clock.breached',
  'notice.clarification_requested',
  'notice.clarification_answered',
  'notice.impossible',
  'notice.message',
  'notice.message_read',
  'notice.objection_received',
  'notice.in_review',
  'notice.decided',
  'notice.action_applied',
  'notice.action_reverted',
  'notice.appeal_received',
  'notice.appeal_decided',
  'notice.closed',
  // The government channel's open ends (issue 14, docs/decisions/0017).
  'notice.impossibility_declared',
  'notice.impossibility_answered',
  'notice.impossibility_ended',
  'notice.objection_answered',
  'notice.escalation_issued',
  'notice.escalation_answered',
  'notice.deadline.at_risk',
  'notice.deadline.breached',
] as const;
export type NoticeEventType = (typeof noticeEventTypes)[number];

export interface NoticeEvent {
  noticeId: string;
  orgId: string;
  type: NoticeEventType;
  data: Record<string, unknown>;
}

export const WEBHOOK_TOPIC = 'webhook.deliver';

/** The circuit-breaker key of a webhook (src/outbox/circuit.ts): one circuit per hook. */
export const webhookEndpoint = (webhookId: string): string => `webhook:${webhookId}`;

export interface WebhookMessage {
  webhook_id: string;
  event_id: string;
}

export async function recordNoticeEvents(
  trx: Db,
  events: NoticeEvent[],
  now: Date,
  options: {
    /**
     * Also evaluate this in the statement (the intake takes the audit chain's lock here,
     * saving a round trip). It is evaluated once, whether or not webhooks exist.
     */
    alsoRun?: RawBuilder<void> | undefined;
  } = {},
): Promise<string[]> {
  if (events.length === 0) return [];
  return runPending(trx, prepareNoticeEvents(trx, events, now, options.alsoRun));
}

/**
 * The events' statement: one round trip inserts them (a data-modifying CTE, which PostgreSQL
 * runs to completion whether or not the query reads it) and reads the webhooks that get them.
 * The rows travel as one JSON parameter, in order (the feed's seq follows it). `alsoRun` is
 * evaluated once in it, webhooks or not. Its finish enqueues the webhook deliveries the result
 * calls for and returns the event ids.
 */
export function prepareNoticeEvents(
  trx: Db,
  events: NoticeEvent[],
  now: Date,
  alsoRun?: RawBuilder<void>,
): PendingStatement<string[]> {
  const rows = events.map((event) => ({
    id: newId(),
    notice_id: event.noticeId,
    org_id: event.orgId,
    type: event.type,
    data: JSON.stringify(event.data),
    at: now,
  }));
  const orgIds = [...new Set(events.map((e) => e.orgId))];
  const statement = sql`
    with inserted as (
      insert into notice_events (id, notice_id, org_id, type, data, at)
      select id, notice_id, org_id, type, data::jsonb, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as e(id uuid, notice_id uuid, org_id uuid, type text, data text)
    )
    select h.id, h.org_id, h.event_types
    -- The extra expression drives the query (one row, always evaluated), the webhooks join it.
    from (select ${alsoRun ?? sql`1`}) as driver
      left join webhooks h on h.org_id in (${sql.join(orgIds)}) and h.disabled_at is null`.compile(trx);
  return {
    statement,
    finish: async (trx, result) => {
      type Hook = { id: string | null; org_id: string; event_types: string[] };
      const hooks = (result.rows as Hook[]).filter((hook) => hook.id !== null);
      const messages: OutboxMessage[] = [];
      rows.forEach((row, i) => {
        for (const hook of hooks) {
          if (hook.org_id !== row.org_id) continue;
          if (hook.event_types.length > 0 && !hook.event_types.includes(events[i]!.type)) continue;
          messages.push({
            topic: WEBHOOK_TOPIC,
            orderingKey: `${hook.id}:${row.notice_id}`,
            endpoint: webhookEndpoint(hook.id!),
            payload: { webhook_id: hook.id!, event_id: row.id } satisfies WebhookMessage,
          });
        }
      });
      await enqueue(trx, messages, now);
      return rows.map((r) => r.id);
    },
  };
}
