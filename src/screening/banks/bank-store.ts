import { sql } from 'kysely';
import { appendAudit, appendAuditMany } from '../../audit/log.ts';
import { conflict, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Actor, SystemActor } from '../../identity/actor.ts';
import type { Db } from '../../store/db.ts';
import type { AutoAction } from '../../store/schema/index.ts';
import { transact } from '../../store/transact.ts';
import { canonicalSignal, isSignalType, type SignalType } from '../signal-types.ts';
import { bankAccuracy } from './bank-accuracy.ts';

/**
 * Hash banks in the database: named sets of signals, each entry with its provenance
 * (source, who added it, when, the case it came from, a note), and a policy per bank:
 * send matches to review, or act automatically with a given action.
 */
export interface BankInput {
  name: string;
  description?: string | undefined;
  policy: 'review' | 'auto_action';
  auto_action?: AutoAction | undefined;
}

export interface EntryInput {
  signal_type: string;
  value: string;
  quality?: number | undefined;
  source?: string | undefined;
  case_id?: string | undefined;
  note?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

export type EntryCheck = { ok: true; type: SignalType; value: string } | { ok: false; reason: string };

/** Checks and canonicalises one signal: the reason says what is wrong. */
export function checkSignal(type: string, value: string): EntryCheck {
  if (!isSignalType(type))
    return {
      ok: false,
      reason: `'${type}' is not a signal type (pdq, md5, sha256, text_sha256, text_simhash, url, domain)`,
    };
  try {
    return { ok: true, type, value: canonicalSignal(type, value) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function checkBank(input: Partial<BankInput>): void {
  if (input.policy === 'auto_action' && !input.auto_action) {
    throw invalid('a bank that acts automatically needs the action to take', [
      { pointer: '/auto_action', detail: 'required with policy auto_action' },
    ]);
  }
  if (input.policy === 'review' && input.auto_action) {
    throw invalid('a review bank takes no automatic action', [
      { pointer: '/auto_action', detail: 'only with policy auto_action' },
    ]);
  }
}

export async function createBank(db: Db, actor: Actor | SystemActor, input: BankInput, now: Date) {
  checkBank(input);
  const bank = {
    id: newId(),
    name: input.name,
    description: input.description ?? null,
    enabled: true,
    policy: input.policy,
    auto_action: input.auto_action ?? null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  };
  return transact(db, async (trx) => {
    const taken = await trx
      .selectFrom('banks')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (taken) throw conflict(`a bank named '${input.name}' already exists`);
    await trx
      .insertInto('banks')
      .values({ ...bank, auto_action: JSON.stringify(bank.auto_action) })
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'bank.created', objectType: 'bank', objectId: bank.id, change: bank },
      now,
    );
    return bank;
  });
}

export async function updateBank(
  db: Db,
  actor: Actor | SystemActor,
  id: string,
  input: {
    enabled?: boolean | undefined;
    description?: string | undefined;
    policy?: 'review' | 'auto_action' | undefined;
    auto_action?: AutoAction | null | undefined;
  },
  now: Date,
) {
  return transact(db, async (trx) => {
    const bank = await trx
      .selectFrom('banks')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!bank) throw notFound(`no bank ${id}`);
    const next = {
      enabled: input.enabled ?? bank.enabled,
      description: input.description ?? bank.description,
      policy: input.policy ?? bank.policy,
      auto_action: input.auto_action === undefined ? bank.auto_action : input.auto_action,
    };
    checkBank({ policy: next.policy, auto_action: next.auto_action ?? undefined });
    await trx
      .updateTable('banks')
      .set({
        ...next,
        auto_action: JSON.stringify(next.auto_action),
        updated_at: now,
        change_seq: sql`nextval('bank_change_seq')`,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'bank.updated', objectType: 'bank', objectId: id, change: next },
      now,
    );
    return { ...bank, ...next, updated_at: now };
  });
}

export async function listBanks(db: Db) {
  const banks = await db
    .selectFrom('banks')
    .select([
      'id',
      'name',
      'description',
      'enabled',
      'policy',
      'auto_action',
      'created_by',
      'created_at',
      'updated_at',
    ])
    .orderBy('name')
    .execute();
  const counts = await db
    .selectFrom('bank_entries')
    .select(['bank_id', 'signal_type', db.fn.countAll<number>().as('n')])
    .where('removed_at', 'is', null)
    .groupBy(['bank_id', 'signal_type'])
    .execute();
  const accuracy = await bankAccuracy(db);
  return banks.map((bank) => ({
    ...bank,
    accuracy: accuracy.get(bank.id) ?? { automated_actions: 0, appeals_upheld: 0, accuracy: null },
    entries: Object.fromEntries(
      counts.filter((c) => c.bank_id === bank.id).map((c) => [c.signal_type, Number(c.n)]),
    ),
  }));
}

export async function findBank(db: Db, idOrName: string) {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrName);
  const bank = await db
    .selectFrom('banks')
    .selectAll()
    .where(byId ? 'id' : 'name', '=', idOrName)
    .executeTakeFirst();
  if (!bank) throw notFound(`no bank '${idOrName}'`);
  return bank;
}

export interface AddOutcome {
  index: number;
  status: 'added' | 'duplicate' | 'invalid';
  entry_id?: string;
  reason?: string;
}

/**
 * Adds entries to a bank in one transaction: invalid ones are reported and skipped, and
 * one already in the bank is a duplicate, not an error. Audited as one entry per call, with
 * the count (an import of a million rows is one import, not a million changes).
 */
export async function addEntries(
  db: Db,
  actor: Actor | SystemActor,
  bankId: string,
  entries: EntryInput[],
  now: Date,
): Promise<AddOutcome[]> {
  const outcomes: AddOutcome[] = [];
  const rows: { index: number; row: Parameters<typeof insertRows>[1][number] }[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const check = checkSignal(entry.signal_type, entry.value);
    if (!check.ok) {
      outcomes[index] = { index, status: 'invalid', reason: check.reason };
      return;
    }
    if (entry.quality !== undefined && (entry.quality < 0 || entry.quality > 100)) {
      outcomes[index] = { index, status: 'invalid', reason: 'quality is 0 to 100' };
      return;
    }
    const key = `${check.type} ${check.value}`;
    if (seen.has(key)) {
      outcomes[index] = { index, status: 'duplicate', reason: 'repeated in this upload' };
      return;
    }
    seen.add(key);
    rows.push({
      index,
      row: {
        id: newId(),
        bank_id: bankId,
        signal_type: check.type,
        value: check.value,
        quality: entry.quality ?? null,
        source: entry.source ?? (actor.type === 'system' ? 'cli' : actor.orgSlug),
        added_by: actor.id,
        added_at: now,
        case_id: entry.case_id ?? null,
        note: entry.note ?? null,
        metadata: JSON.stringify(entry.metadata ?? {}),
      },
    });
  });
  await transact(db, async (trx) => {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += 1000) {
      const ids = await insertRows(
        trx,
        rows.slice(i, i + 1000).map((r) => r.row),
      );
      for (const id of ids) inserted.add(id);
    }
    for (const { index, row } of rows) {
      outcomes[index] = inserted.has(row.id)
        ? { index, status: 'added', entry_id: row.id }
        : { index, status: 'duplicate', reason: 'already in the bank' };
    }
    const added = rows.filter((r) => inserted.has(r.row.id)).length;
    await appendAuditMany(
      trx,
      [
        {
          actor,
          record: {
            action: 'bank.entries_added',
            objectType: 'bank',
            objectId: bankId,
            change: { added, submitted: entries.length },
          },
        },
      ],
      now,
    );
  });
  return outcomes;
}

async function insertRows(
  trx: Db,
  rows: {
    id: string;
    bank_id: string;
    signal_type: string;
    value: string;
    quality: number | null;
    source: string;
    added_by: string;
    added_at: Date;
    case_id: string | null;
    note: string | null;
    metadata: string;
  }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto('bank_entries')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['bank_id', 'signal_type', 'value']).where('removed_at', 'is', null).doNothing(),
    )
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export async function removeEntry(
  db: Db,
  actor: Actor | SystemActor,
  bankId: string,
  entryId: string,
  now: Date,
): Promise<void> {
  await transact(db, async (trx) => {
    const result = await trx
      .updateTable('bank_entries')
      .set({ removed_at: now, change_seq: sql`nextval('bank_change_seq')` })
      .where('id', '=', entryId)
      .where('bank_id', '=', bankId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(`no entry ${entryId} in this bank`);
    await appendAudit(
      trx,
      actor,
      { action: 'bank.entry_removed', objectType: 'bank', objectId: bankId, change: { entry_id: entryId } },
      now,
    );
  });
}

/** A bank entry's signal and its provenance: what a listing shows and what the matcher keeps. */
export const ENTRY_FIELDS = [
  'id',
  'signal_type',
  'value',
  'quality',
  'source',
  'added_by',
  'added_at',
  'case_id',
  'note',
] as const;

export async function listEntries(
  db: Db,
  bankId: string,
  after: string | undefined,
  limit: number,
  signalType?: string,
) {
  let query = db
    .selectFrom('bank_entries')
    .select([...ENTRY_FIELDS, 'metadata'])
    .where('bank_id', '=', bankId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .limit(limit);
  if (after) query = query.where('id', '>', after);
  if (signalType) query = query.where('signal_type', '=', signalType);
  const items = await query.execute();
  return { items, next_after: items.length === limit ? items[items.length - 1]!.id : null };
}
