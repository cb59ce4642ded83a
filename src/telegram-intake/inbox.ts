import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { say } from './messages.ts';
import { outgoing } from './outbox-sender.ts';
import { type HandlerDeps, handleUpdate } from './update-handler.ts';
import { senderOf, updateSchema } from './updates.ts';

/**
 * The inbox: every update the Bot API hands over is stored before it is acknowledged, and
 * handled once. Polling acknowledges by moving getUpdates' offset past an update ("An
 * update is considered confirmed as soon as getUpdates is called with an offset higher
 * than its update_id", #getupdates), so the offset is stored in the transaction that
 * stores the updates: an update is never confirmed before it is kept (nothing lost), and
 * a kept update is never kept twice (its update_id is the key; nothing doubled). A webhook
 * stores it before answering 200, Telegram's acknowledgement.
 *
 * Handling marks the update handled in the transaction that writes its effects and queues
 * its replies (src/telegram-intake/turn.ts), so a restart resumes at the first update not
 * handled. Updates are handled one at a time, in update_id order: a conversation's steps
 * arrive in order.
 */
export const OFFSET_CURSOR = 'updates';

export async function updatesOffset(db: Db): Promise<number> {
  const row = await db
    .selectFrom('telegram_cursors')
    .select('value')
    .where('name', '=', OFFSET_CURSOR)
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Keeps updates (repeats are ignored) and moves the offset past them, in one transaction. */
export async function storeUpdates(db: Db, updates: unknown[], now: Date): Promise<number> {
  const rows = updates.flatMap((payload) => {
    const id = (payload as { update_id?: unknown })?.update_id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return [];
    const parsed = updateSchema.safeParse(payload);
    const sender = parsed.success ? senderOf(parsed.data) : null;
    return [
      { update_id: id, sender_id: sender?.id ?? null, payload: JSON.stringify(payload), received_at: now },
    ];
  });
  if (rows.length === 0) return 0;
  const next = Math.max(...rows.map((r) => r.update_id)) + 1;
  return transact(db, async (trx) => {
    const inserted = await trx
      .insertInto('telegram_updates')
      .values(rows)
      .onConflict((oc) => oc.column('update_id').doNothing())
      .returning('update_id')
      .execute();
    await trx
      .insertInto('telegram_cursors')
      .values({ name: OFFSET_CURSOR, value: next })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ value: sql`greatest(telegram_cursors.value, ${next})` }),
      )
      .execute();
    return inserted.length;
  });
}

export interface InboxDeps extends HandlerDeps {
  clock: Clock;
  log: Logger;
  /** Wakes the outbox worker after replies were queued, so they leave at once. */
  wakeOutbox?: () => void;
}

/**
 * Handles the inbox's pending updates, oldest first. One drain at a time per process;
 * a drain asked for while one runs runs again after it (nothing stored meanwhile waits for
 * the next poll).
 */
export class InboxProcessor {
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly deps: InboxDeps) {}

  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let handled = 0;
      try {
        do {
          this.again = false;
          handled += await this.drainOnce();
        } while (this.again);
      } finally {
        this.running = null;
      }
      return handled;
    })();
    return this.running;
  }

  private async drainOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const row = await this.deps.db
        .selectFrom('telegram_updates')
        .select(['update_id', 'payload'])
        .where('handled_at', 'is', null)
        .orderBy('update_id')
        .limit(1)
        .executeTakeFirst();
      if (!row) return handled;
      await this.handleOne(Number(row.update_id), row.payload);
      handled += 1;
    }
  }

  /** Handles one stored update; public so that tests can interrupt a drain between two. */
  async handleOne(updateId: number, payload: unknown): Promise<void> {
    const { db, clock, log } = this.deps;
    const now = clock();
    try {
      const turn = await handleUpdate(this.deps, payload, now);
      await transact(db, async (trx) => {
        const fresh = await trx
          .selectFrom('telegram_updates')
          .select('handled_at')
          .where('update_id', '=', updateId)
          .forUpdate()
          .executeTakeFirst();
        // Another process handled it meanwhile: its effects stand, this turn's are dropped.
        if (!fresh || fresh.handled_at) return;
        for (const write of turn?.writes ?? []) await write(trx);
        await enqueue(trx, turn?.out ?? [], now);
        await trx
          .updateTable('telegram_updates')
          .set({ handled_at: now, outcome: turn?.outcome ?? 'ignored' })
          .where('update_id', '=', updateId)
          .execute();
      });
      if (turn?.out.length) this.deps.wakeOutbox?.();
    } catch (error) {
      // An update that cannot be handled is marked so, and its sender told: one bad update
      // must not stop the inbox. The draft is left as it was.
      log.error({ err: error, update_id: updateId }, 'telegram update failed');
      const parsed = updateSchema.safeParse(payload);
      const sender = parsed.success ? senderOf(parsed.data) : null;
      await transact(db, async (trx) => {
        await trx
          .updateTable('telegram_updates')
          .set({ handled_at: now, outcome: 'failed' })
          .where('update_id', '=', updateId)
          .where('handled_at', 'is', null)
          .execute();
        if (sender && !sender.is_bot)
          await enqueue(
            trx,
            outgoing(sender.id, {
              method: 'sendMessage',
              params: {
                chat_id: sender.id,
                text: say(sender.language_code?.startsWith('id') ? 'id' : 'en').failed,
              },
            }),
            now,
          );
      });
    }
  }
}
