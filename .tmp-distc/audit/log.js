import { sql } from 'kysely';
import { runPending } from "../store/pipeline.js";
import { GENESIS_HASH, seal } from "./chain.js";
// One lock for the whole chain: entries are appended one transaction at a time, so that
// seq numbers have no gaps and each entry links to the one committed before it.
const AUDIT_LOCK = 0x7a_70_15_01;
/**
 * The lock as an SQL expression, for a caller that takes it in a statement of its own that
 * does other work too (a round trip saved), and then appends with `{ locked: true }`.
 */
export const takeAuditLock = () => sql `pg_advisory_xact_lock(${AUDIT_LOCK})`;
/**
 * The head of the chain as this process last appended to it. Appending usually continues
 * from there without reading the head first (a round trip saved in every audited
 * transaction); the insert checks, under the lock, that the head is still this one, and
 * when it is not (another process appended, or the entry was rolled back, or this is
 * another database) it reads the real head and seals the entries again.
 */
let lastHead = null;
/**
 * Appends an entry. Call it inside the transaction that makes the change, as late as
 * possible: the chain's lock is held until that transaction commits.
 */
export async function appendAudit(trx, actor, record, now) {
    const [seq] = await appendAuditMany(trx, [{ actor, record }], now);
    return seq;
}
/**
 * Appends several entries under one lock, in the order given (group commit of a batch).
 * `locked`: this transaction already holds the lock (takeAuditLock), taken by an earlier
 * statement.
 */
export async function appendAuditMany(trx, items, now, options = {}) {
    if (items.length === 0)
        return [];
    // Taken in a statement of its own: every statement after it sees every entry committed
    // before it (a statement's snapshot is taken when it starts, not when it gets a lock).
    if (!options.locked)
        await sql `select ${takeAuditLock()}`.execute(trx);
    return runPending(trx, prepareAuditAppend(trx, items, now));
}
/**
 * The first half of appendAuditMany with `{ locked: true }`, for a transaction that sends
 * its statements together (src/store/pipeline.ts): the statement inserts the entries sealed
 * on the remembered head if that is still the head, else reads the real one; `finish` then
 * seals them again on it and inserts them, and returns the entries' seq numbers. The statement
 * must begin after the transaction holds the chain's lock.
 */
export function prepareAuditAppend(trx, items, now) {
    if (items.length === 0)
        throw new Error('an audit append needs entries');
    const guess = lastHead;
    const entries = guess ? sealAll(items, guess, now) : null;
    // Guess ahead: the next append of this process (a batch prepared while this one waits for
    // the lock) continues from these entries. A wrong guess costs only a miss: every insert
    // checks the head under the lock.
    if (entries)
        remember(entries);
    const statement = (guess && entries
        ? insertIfHeadIs(guess, entries)
        : sql `select (0)::int as inserted, seq, hash from audit_log order by seq desc limit 1`).compile(trx);
    return {
        statement,
        finish: async (trx, result) => {
            const row = result.rows[0];
            if (entries && row?.inserted === entries.length)
                return remember(entries);
            const head = row && row.seq !== null ? { seq: row.seq, hash: row.hash } : null;
            const sealed = sealAll(items, head ?? { seq: 0, hash: GENESIS_HASH }, now);
            await insertEntries(trx, sealed);
            return remember(sealed);
        },
    };
}
function sealAll(items, head, now) {
    let seq = head.seq;
    let prev = head.hash;
    return items.map(({ actor, record }) => {
        seq += 1;
        const entry = seal({
            seq,
            at: now,
            actor_type: actor.type,
            actor_id: actor.id,
            actor_org_id: actor.type === 'system' ? null : actor.orgId,
            action: record.action,
            object_type: record.objectType,
            object_id: record.objectId,
            change: record.change ?? null,
        }, prev);
        prev = entry.hash;
        return entry;
    });
}
/**
 * The entries are remembered as the head once sealed on a guess, and again once written; if
 * they are not written after all, or the transaction rolls back, the next append finds the
 * head is not what was remembered and reads it.
 */
function remember(entries) {
    const last = entries[entries.length - 1];
    lastHead = { seq: last.seq, hash: last.hash };
    return entries.map((e) => e.seq);
}
// One JSON parameter carries all the rows: a batch of entries is one short statement.
const rows = (entries) => JSON.stringify(entries.map((entry) => ({ ...entry, change: JSON.stringify(entry.change) })));
const columns = sql `seq, at, actor_type, actor_id, actor_org_id, action, object_type, object_id, change, change_digest, prev_hash, hash`;
const recordset = (entries) => sql `
  select seq, at, actor_type, actor_id, actor_org_id, action, object_type, object_id, change::jsonb, change_digest, prev_hash, hash
  from jsonb_to_recordset(${rows(entries)}::jsonb) as e(
    seq bigint, at timestamptz, actor_type text, actor_id text, actor_org_id uuid, action text, object_type text,
    object_id text, change text, change_digest text, prev_hash text, hash text)`;
async function insertEntries(trx, entries) {
    await sql `insert into audit_log (${columns}) ${recordset(entries)}`.execute(trx);
}
/**
 * Inserts the entries only if the chain's head is still `head`; otherwise inserts nothing.
 * Either way its one row says how many it inserted and what the head was.
 */
function insertIfHeadIs(head, entries) {
    return sql `
    with current as (select seq, hash from audit_log order by seq desc limit 1),
    written as (
      insert into audit_log (${columns})
      ${recordset(entries)}
      where (select seq from current) = ${head.seq} and (select hash from current) = ${head.hash}
      returning seq
    )
    select (select count(*) from written)::int as inserted, current.seq, current.hash
    from (select 1) as one left join current on true`;
}
