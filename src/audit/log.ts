import { sql } from 'kysely';
import type { Actor, SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { type AuditEntry, GENESIS_HASH, seal } from './chain.ts';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId: string;
  /** What changed, as plain JSON. Never secrets: a key's hash at most, never the key. */
  change: unknown;
}

// One lock for the whole chain: entries are appended one transaction at a time, so that
// seq numbers have no gaps and each entry links to the one committed before it.
const AUDIT_LOCK = 0x7a_70_15_01;

/**
 * Appends an entry. Call it inside the transaction that makes the change, as late as
 * possible: the chain's lock is held until that transaction commits.
 */
export async function appendAudit(trx: Db, actor: Actor | SystemActor, record: AuditRecord, now: Date): Promise<number> {
  const [seq] = await appendAuditMany(trx, [{ actor, record }], now);
  return seq!;
}

/** Appends several entries under one lock, in the order given (group commit of a batch). */
export async function appendAuditMany(trx: Db, items: { actor: Actor | SystemActor; record: AuditRecord }[], now: Date): Promise<number[]> {
  if (items.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const entries: AuditEntry[] = items.map(({ actor, record }) => {
    seq += 1;
    const entry = seal(
      {
        seq,
        at: now,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_org_id: actor.type === 'system' ? null : actor.orgId,
        action: record.action,
        object_type: record.objectType,
        object_id: record.objectId,
        change: record.change ?? null,
      },
      prev,
    );
    prev = entry.hash;
    return entry;
  });
  await trx
    .insertInto('audit_log')
    .values(entries.map((entry) => ({ ...entry, change: JSON.stringify(entry.change) })))
    .execute();
  return entries.map((e) => e.seq);
}
