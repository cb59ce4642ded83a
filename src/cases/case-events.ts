import type { Updateable } from 'kysely';
import { type AuditRecord, appendAudit } from '../audit/log.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import type { CasesTable } from '../store/schema/index.ts';
import { type CaseEventType, type CaseStatus, TransitionRefused, transition } from './transitions.ts';

/**
 * Writes one case event: checks the transition, appends the event, updates the projection
 * (the `cases` row) and appends the audit entry, all in the caller's transaction. This is
 * the only way a case changes.
 */
export interface CaseEventInput {
  type: CaseEventType;
  /** Where the event leads, when it may lead to several statuses. */
  to?: CaseStatus;
  data?: Record<string, unknown>;
  /** Other projection fields that change with the event (assignee, lease, decision…). */
  set?: Updateable<CasesTable>;
}

export type CaseRow = Awaited<ReturnType<typeof lockCase>>;

/** Reads a case and locks it for the rest of the transaction: its events are serialised. */
export async function lockCase(trx: Db, caseId: string) {
  const row = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(`no case ${caseId}`);
  return row;
}

export async function recordCaseEvent(
  trx: Db,
  current: CaseRow,
  actor: Actor | SystemActor,
  event: CaseEventInput,
  now: Date,
): Promise<CaseRow> {
  const { updated, audit } = await writeCaseEvent(trx, current, actor, event, now);
  await appendAudit(trx, actor, audit, now);
  return updated;
}

/**
 * recordCaseEvent without its audit entry, which the caller appends with appendAudit in the
 * same transaction, later: a transaction with more to write after the event (a decision
 * settling its notices) appends last, since the audit chain's lock is held from the append
 * to the commit and every audited write in the system waits for it meanwhile.
 */
export async function writeCaseEvent(
  trx: Db,
  current: CaseRow,
  actor: Actor | SystemActor,
  event: CaseEventInput,
  now: Date,
): Promise<{ updated: CaseRow; audit: AuditRecord }> {
  let to: CaseStatus;
  try {
    to = transition(current.status as CaseStatus, event.type, event.to);
  } catch (error) {
    if (error instanceof TransitionRefused) throw conflict(error.message, { case_status: current.status });
    throw error;
  }
  const inserted = await trx
    .insertInto('case_events')
    .values({
      id: newId(),
      case_id: current.id,
      type: event.type,
      from_status: current.status,
      to_status: to,
      actor_type: actor.type,
      actor_id: actor.id,
      data: JSON.stringify(event.data ?? {}),
      at: now,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const updated = await trx
    .updateTable('cases')
    .set({ ...event.set, status: to, last_event_seq: inserted.seq })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    updated,
    audit: {
      action: `case.${event.type}`,
      objectType: 'case',
      objectId: current.id,
      change: { from: current.status, to, ...event.data },
    },
  };
}
