import { newId } from "../core/ids.js";
/** Writes messages in the caller's transaction; returns their ids in order. */
export async function enqueue(trx, messages, now) {
    const list = Array.isArray(messages) ? messages : [messages];
    if (list.length === 0)
        return [];
    const rows = list.map((message) => ({
        id: newId(),
        topic: message.topic,
        ordering_key: message.orderingKey ?? null,
        payload: JSON.stringify(message.payload),
        next_attempt_at: message.notBefore ?? now,
        created_at: now,
    }));
    await trx.insertInto('outbox').values(rows).execute();
    return rows.map((row) => row.id);
}
