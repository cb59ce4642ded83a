import { type RawBuilder, sql } from 'kysely';
import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { conflict, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { holdIsActive } from './retention.ts';

/**
 * Legal holds (TCO Art. 6(2)): an authority or court asks that a case's content be kept
 * past its preservation period, for an investigation or proceedings. While a hold is active
 * (not released, and before its own date when it has one) the purge leaves the case's
 * content, and the evidence of its notices, alone. Placing and releasing a hold are case
 * events, and so audited with who did it, at whose request and why.
 */
export interface HoldInput {
  reason: string;
  requested_by: string;
  until?: Date | undefined;
}

export interface HoldView {
  id: string;
  case_id: string;
  reason: string;
  requested_by: string;
  placed_by: string;
  until: Date | null;
  placed_at: Date;
  released_at: Date | null;
  released_by: string | null;
  release_reason: string | null;
  active: boolean;
}

type HoldRow = Omit<HoldView, 'active'>;
const toView = (row: HoldRow, now: Date): HoldView => ({ ...row, active: holdIsActive(row, now) });

const columns = [
  'id',
  'case_id',
  'reason',
  'requested_by',
  'placed_by',
  'until',
  'placed_at',
  'released_at',
  'released_by',
  'release_reason',
] as const;

export async function placeHold(
  db: Db,
  actor: Actor,
  caseId: string,
  input: HoldInput,
  now: Date,
): Promise<HoldView> {
  if (input.until && input.until <= now) {
    throw invalid('until must be in the future; leave it out to hold until released', [
      { pointer: '/until', detail: 'in the past' },
    ]);
  }
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    const row: HoldRow = {
      id: newId(),
      case_id: caseId,
      reason: input.reason,
      requested_by: input.requested_by,
      placed_by: actor.id,
      until: input.until ?? null,
      placed_at: now,
      released_at: null,
      released_by: null,
      release_reason: null,
    };
    await trx.insertInto('legal_holds').values(row).execute();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'legal_hold_placed',
        data: { hold_id: row.id, reason: row.reason, requested_by: row.requested_by, until: row.until },
      },
      now,
    );
    return toView(row, now);
  });
}

export async function releaseHold(
  db: Db,
  actor: Actor,
  holdId: string,
  reason: string | undefined,
  now: Date,
): Promise<HoldView> {
  return transact(db, async (trx) => {
    const found = await trx
      .selectFrom('legal_holds')
      .select('case_id')
      .where('id', '=', holdId)
      .executeTakeFirst();
    if (!found) throw notFound(`no legal hold ${holdId}`);
    // The case first, as every case change does; then the hold, read again under that lock.
    const current = await lockCase(trx, found.case_id);
    const hold = await trx
      .selectFrom('legal_holds')
      .select(columns)
      .where('id', '=', holdId)
      .executeTakeFirstOrThrow();
    if (hold.released_at) throw conflict(`this legal hold was released on ${hold.released_at.toISOString()}`);
    const released = await trx
      .updateTable('legal_holds')
      .set({ released_at: now, released_by: actor.id, release_reason: reason ?? null })
      .where('id', '=', holdId)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'legal_hold_released',
        data: { hold_id: holdId, requested_by: hold.requested_by, reason: reason ?? null },
      },
      now,
    );
    return toView(released, now);
  });
}

export async function listHolds(db: Db, caseId: string, now: Date): Promise<HoldView[]> {
  const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
  if (!exists) throw notFound(`no case ${caseId}`);
  const rows = await db
    .selectFrom('legal_holds')
    .select(columns)
    .where('case_id', '=', caseId)
    .orderBy('placed_at')
    .execute();
  return rows.map((row) => toView(row, now));
}

/** The cases among `caseIds` under an active hold. */
export async function activeHoldCases(trx: Db, caseIds: string[], now: Date): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom('legal_holds')
    .select('case_id')
    .where('case_id', 'in', caseIds)
    .where('released_at', 'is', null)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
    .execute();
  return new Set(rows.map((r) => r.case_id));
}

/** SQL: whether the case `caseRef` names is under an active hold (the same rule as holdIsActive). */
export function heldCaseSql(caseRef: string, now: Date): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from legal_holds h where h.case_id = ${sql.ref(caseRef)}
    and h.released_at is null and (h.until is null or h.until > ${now}))`;
}
