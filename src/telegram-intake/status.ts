import { sql } from 'kysely';
import { newId } from '../core/ids.ts';
import { enqueue, type OutboxMessage } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { say } from './messages.ts';
import { outgoing } from './outbox-sender.ts';

/**
 * Status back through the bot. The notice events (src/notices/events.ts) of the notices a
 * linked analyst filed, by any channel, are the ones that concern them; the types below are
 * the ones worth a message. A scheduled pass follows the event log with a cursor stored
 * beside the getUpdates offset (so a restart neither skips nor repeats), queues what
 * concerns each linked analyst, and sends each at most one message per BATCH_MS holding
 * everything queued meanwhile: rate-limited and batched. A clarification request is a
 * message of its own, since the analyst answers it by replying to it.
 *
 * A muted analyst's events are not queued. The first pass starts at the end of the log:
 * linking does not replay years of history.
 */
export const STATUS_TYPES = [
  'notice.received',
  'notice.clarification_requested',
  'notice.decided',
  'notice.action_applied',
  'notice.clock.at_risk',
  'notice.clock.breached',
  'notice.appeal_decided',
] as const;

export const BATCH_MS = 60_000;
const EVENTS_CURSOR = 'events';
const PAGE = 500;

/**
 * Starts following the event log at its end, once: called when the first account links,
 * so that events from then on reach the analysts, and earlier history is not replayed.
 */
export async function startStatusCursor(trx: Db): Promise<void> {
  const last = await trx
    .selectFrom('notice_events')
    .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('telegram_cursors')
    .values({ name: EVENTS_CURSOR, value: Number(last.seq) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Queues the new events that concern linked analysts. Returns how many were queued. */
export async function collectStatus(db: Db): Promise<number> {
  return transact(db, async (trx) => {
    const cursor = await trx
      .selectFrom('telegram_cursors')
      .select('value')
      .where('name', '=', EVENTS_CURSOR)
      .forUpdate()
      .executeTakeFirst();
    if (!cursor) {
      await startStatusCursor(trx);
      return 0;
    }
    const events = await trx
      .selectFrom('notice_events as e')
      .innerJoin('notices as n', 'n.id', 'e.notice_id')
      .leftJoin('telegram_links as l', (join) =>
        join.onRef('l.user_id', '=', 'n.submitted_by').on('l.muted', '=', false),
      )
      // A notice filed through the bot already got its receipt there: no "received" again.
      .leftJoin('telegram_drafts as d', 'd.notice_id', 'n.id')
      .select([
        'e.seq',
        'e.id',
        'e.notice_id',
        'e.type',
        'e.data',
        'e.at',
        'l.telegram_user_id',
        'd.id as draft_id',
      ])
      .where('e.seq', '>', Number(cursor.value))
      .orderBy('e.seq')
      .limit(PAGE)
      .execute();
    if (events.length === 0) return 0;
    const rows = events
      .filter((e) => e.telegram_user_id !== null && (STATUS_TYPES as readonly string[]).includes(e.type))
      .filter((e) => !(e.type === 'notice.received' && e.draft_id))
      .map((e) => ({
        id: newId(),
        telegram_user_id: e.telegram_user_id!,
        event_id: e.id,
        notice_id: e.notice_id,
        type: e.type,
        data: JSON.stringify(e.data),
        at: e.at,
      }));
    if (rows.length > 0)
      await trx
        .insertInto('telegram_status')
        .values(rows)
        .onConflict((oc) => oc.columns(['telegram_user_id', 'event_id']).doNothing())
        .execute();
    await trx
      .updateTable('telegram_cursors')
      .set({ value: Number(events[events.length - 1]!.seq) })
      .where('name', '=', EVENTS_CURSOR)
      .execute();
    return rows.length;
  });
}

/** Sends each analyst whose last message is older than BATCH_MS what is queued for them. */
export async function deliverStatus(db: Db, now: Date): Promise<number> {
  const due = await db
    .selectFrom('telegram_status as s')
    .innerJoin('telegram_links as l', 'l.telegram_user_id', 's.telegram_user_id')
    .select(['l.telegram_user_id', 'l.chat_id', 'l.language'])
    .where('s.sent_at', 'is', null)
    .where('l.muted', '=', false)
    .where((eb) =>
      eb.or([
        eb('l.last_status_at', 'is', null),
        eb('l.last_status_at', '<=', new Date(now.getTime() - BATCH_MS)),
      ]),
    )
    .groupBy(['l.telegram_user_id', 'l.chat_id', 'l.language'])
    .execute();
  let sent = 0;
  for (const analyst of due) {
    sent += await transact(db, async (trx) => {
      const items = await trx
        .selectFrom('telegram_status as s')
        .innerJoin('notices as n', 'n.id', 's.notice_id')
        .select(['s.id', 's.notice_id', 's.type', 's.data', 'n.reference'])
        .where('s.telegram_user_id', '=', analyst.telegram_user_id)
        .where('s.sent_at', 'is', null)
        .orderBy('s.at')
        .limit(50)
        .forUpdate()
        .execute();
      if (items.length === 0) return 0;
      const t = say(analyst.language);
      const messages: OutboxMessage[] = [];
      const lines: string[] = [];
      for (const item of items) {
        const name = item.reference ? `${item.reference} (${item.notice_id})` : item.notice_id;
        if (item.type === 'notice.clarification_requested') {
          const question = await trx
            .selectFrom('thread_messages')
            .select('body')
            .where('id', '=', String((item.data as { message_id?: string }).message_id ?? ''))
            .executeTakeFirst();
          messages.push(
            outgoing(analyst.chat_id, {
              method: 'sendMessage',
              params: {
                chat_id: analyst.chat_id,
                text: t.clarificationAsk(name, question?.body ?? '').slice(0, 4096),
                reply_markup: { force_reply: true, selective: true },
              },
              remember: { notice_id: item.notice_id, kind: 'clarification' },
            }),
          );
        } else {
          lines.push(
            `• ${name}: ${t.status[item.type] ?? item.type}${detailOf(item.data as Record<string, unknown>)}`,
          );
        }
      }
      if (lines.length > 0)
        messages.unshift(
          outgoing(analyst.chat_id, {
            method: 'sendMessage',
            params: { chat_id: analyst.chat_id, text: [t.statusHeader, ...lines].join('\n').slice(0, 4096) },
          }),
        );
      await enqueue(trx, messages, now);
      await trx
        .updateTable('telegram_status')
        .set({ sent_at: now })
        .where(
          'id',
          'in',
          items.map((i) => i.id),
        )
        .execute();
      await trx
        .updateTable('telegram_links')
        .set({ last_status_at: now })
        .where('telegram_user_id', '=', analyst.telegram_user_id)
        .execute();
      return items.length;
    });
  }
  return sent;
}

/** The outcome of a decision or an appeal, when the event carries it. */
function detailOf(data: Record<string, unknown>): string {
  const outcome = data.outcome ?? data.decision;
  return typeof outcome === 'string' ? ` (${outcome})` : '';
}
