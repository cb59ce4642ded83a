import { sql } from 'kysely';
import { enqueue } from '../outbox/outbox.ts';
import type { ClaimedMessage, TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from '../runtime/context.ts';
import { scanBatch } from '../scanning/scan-batch.ts';
import type { Db } from '../store/db.ts';
import type { PreparedEvent } from './prepare.ts';

/**
 * The embedded default needs no NATS: what POST /v1/content accepts is written to the
 * outbox (one row per request, in the transaction that answers it) and scanned by the
 * outbox worker, durably: a crash between acceptance and scan leaves the row pending, and
 * it is scanned when the process comes back. Once scanned, the row's payload (the posts'
 * text) is cleared: tapis keeps hashes and results, not content.
 */
export const CONTENT_TOPIC = 'content.scan';

export interface ContentMessage {
  events: PreparedEvent[];
}

export async function enqueueContent(db: Db, events: PreparedEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  await enqueue(db, { topic: CONTENT_TOPIC, payload: { events } satisfies ContentMessage }, now);
}

export function contentScanHandler(ctx: AppContext): TopicHandler {
  return {
    handle: async (message: ClaimedMessage) => {
      const { events } = message.payload as ContentMessage;
      await scanBatch(ctx, events, 'api');
      await sql`update outbox set payload = '{"events":[]}'::jsonb where id = ${message.id}`.execute(ctx.db);
    },
  };
}

/** Which of these events were scanned already (same platform, id and revision). */
export async function alreadyScanned(db: Db, events: PreparedEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const keys = JSON.stringify(
    events.map((e) => ({ platform: e.platform, post_id: e.post_id, revision: e.revision })),
  );
  const rows = await sql<{ platform: string; post_id: string; revision: string }>`
    select c.platform, c.post_id, c.revision from content_events c
    join jsonb_to_recordset(${keys}::jsonb) as k(platform text, post_id text, revision text)
      on c.platform = k.platform and c.post_id = k.post_id and c.revision = k.revision`.execute(db);
  return new Set(rows.rows.map((r) => `${r.platform}\u0000${r.post_id}\u0000${r.revision}`));
}
