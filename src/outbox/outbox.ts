import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import { laneOf } from './lanes.ts';

/**
 * The transactional outbox: a side effect (a webhook, an enforcement call, a notification)
 * is a row written in the same transaction as the state change that causes it, so it
 * happens if and only if the change commits. Workers (src/outbox/worker.ts) deliver rows.
 */
export interface OutboxMessage {
  topic: string;
  /** Messages sharing a key are delivered one at a time, in the order they were written. */
  orderingKey?: string | null;
  payload: unknown;
  /** Deliver no earlier than this. */
  notBefore?: Date;
  /**
   * The external endpoint the message calls (e.g. `webhook:<id>`): while that endpoint keeps
   * failing, its circuit is open and none of its messages are claimed (src/outbox/circuit.ts).
   */
  endpoint?: string | null;
}

/** Writes messages in the caller's transaction; returns their ids in order. */
export async function enqueue(
  trx: Db,
  messages: OutboxMessage | OutboxMessage[],
  now: Date,
): Promise<string[]> {
  const list = Array.isArray(messages) ? messages : [messages];
  if (list.length === 0) return [];
  const rows = list.map((message) => ({
    id: newId(),
    topic: message.topic,
    ordering_key: message.orderingKey ?? null,
    lane: laneOf(message.topic),
    endpoint: message.endpoint ?? null,
    payload: JSON.stringify(message.payload),
    next_attempt_at: message.notBefore ?? now,
    created_at: now,
  }));
  await trx.insertInto('outbox').values(rows).execute();
  return rows.map((row) => row.id);
}
