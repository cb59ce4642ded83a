import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Outbox lanes and per-endpoint circuit breakers (decision 0008). Enforcement must never
 * wait behind notification: each message carries its lane, claimed in priority order by a
 * worker of its own; a message to an external endpoint (a webhook) names it, and an
 * endpoint that keeps failing is left alone until its next attempt is due.
 */
const statements = [
  `alter table outbox add column lane text not null default 'notification'
    check (lane in ('enforcement','screening','notification','bulk'))`,
  `update outbox set lane = case
     when topic like 'enforcement.%' then 'enforcement'
     when topic like 'bulk.%' then 'bulk'
     when topic like 'content.%' then 'screening'
     else 'notification' end`,
  `alter table outbox add column endpoint text`,
  `update outbox set endpoint = 'webhook:' || (payload->>'webhook_id') where topic = 'webhook.deliver'`,
  `create index outbox_lane_due on outbox(lane, seq) where status = 'pending'`,
  `create index outbox_endpoint on outbox(endpoint, seq) where status = 'pending' and endpoint is not null`,
  `create table outbox_endpoints (
    endpoint text primary key,
    failures integer not null default 0,
    open_until timestamptz not null,
    last_error text,
    updated_at timestamptz not null
    )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop table outbox_endpoints`,
    `drop index outbox_endpoint`,
    `drop index outbox_lane_due`,
    `alter table outbox drop column endpoint`,
    `alter table outbox drop column lane`,
  ]);
}
