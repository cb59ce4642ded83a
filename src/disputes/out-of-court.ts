import { appendAudit } from '../audit/log.ts';
import { invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';

/**
 * DSA Art. 21: the affected user or the notifier may take a decision to a certified
 * out-of-court dispute settlement body. tapis does not run the procedure; a lead records the
 * dispute when the body tells the platform of it (which body, who brought it, when), then its
 * outcome, and when the platform implemented a body's decision that went against it. The
 * transparency report counts them (DSA Art. 24(1)(a); src/transparency/report/out-of-court-section.ts).
 */
export const disputeOutcomes = [
  'decision_upheld',
  'decision_overturned',
  'decision_changed',
  'settled',
  'withdrawn',
  'refused_by_body',
] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];

/** Outcomes that ask the platform to change its decision, and so can be implemented. */
export const outcomesToImplement: readonly DisputeOutcome[] = ['decision_overturned', 'decision_changed'];

export interface NewDispute {
  decision_id: string;
  body_name: string;
  body_certified_by?: string | undefined;
  brought_by: 'affected_user' | 'notifier';
  reference?: string | undefined;
  submitted_at: Date;
}

export interface DisputeChange {
  outcome?: DisputeOutcome | undefined;
  decided_at?: Date | undefined;
  implemented_at?: Date | undefined;
  reference?: string | undefined;
}

export interface DisputeView {
  id: string;
  decision_id: string;
  body_name: string;
  body_certified_by: string | null;
  brought_by: 'affected_user' | 'notifier';
  reference: string | null;
  submitted_at: Date;
  outcome: string | null;
  decided_at: Date | null;
  implemented_at: Date | null;
  recorded_by: string;
  recorded_at: Date;
  updated_at: Date;
}

const columns = [
  'id',
  'decision_id',
  'body_name',
  'body_certified_by',
  'brought_by',
  'reference',
  'submitted_at',
  'outcome',
  'decided_at',
  'implemented_at',
  'recorded_by',
  'recorded_at',
  'updated_at',
] as const;

const notInFuture = (field: string, at: Date | null | undefined, now: Date) =>
  at && at > now ? [{ pointer: `/${field}`, detail: 'must not be in the future' }] : [];

/** The rules of a dispute's dates and outcome, over plain data; returns what is wrong. */
export function disputeIssues(d: {
  submitted_at: Date;
  outcome: string | null;
  decided_at: Date | null;
  implemented_at: Date | null;
  now: Date;
}) {
  const issues = [
    ...notInFuture('submitted_at', d.submitted_at, d.now),
    ...notInFuture('decided_at', d.decided_at, d.now),
    ...notInFuture('implemented_at', d.implemented_at, d.now),
  ];
  if (d.outcome && !d.decided_at)
    issues.push({ pointer: '/decided_at', detail: 'an outcome needs the date the body decided' });
  if (d.decided_at && !d.outcome)
    issues.push({ pointer: '/outcome', detail: 'a decided dispute has its outcome' });
  if (d.decided_at && d.decided_at < d.submitted_at)
    issues.push({ pointer: '/decided_at', detail: 'must not be before the dispute was submitted' });
  if (d.implemented_at) {
    if (!d.outcome || !(outcomesToImplement as readonly string[]).includes(d.outcome))
      issues.push({
        pointer: '/implemented_at',
        detail: `only a body's decision that overturns or changes the platform's is implemented (${outcomesToImplement.join(', ')})`,
      });
    else if (d.decided_at && d.implemented_at < d.decided_at)
      issues.push({ pointer: '/implemented_at', detail: 'must not be before the body decided' });
  }
  return issues;
}

function refuse(issues: { pointer: string; detail: string }[]): void {
  if (issues.length === 0) return;
  const first = issues[0]!;
  throw invalid(`${first.pointer.slice(1)}: ${first.detail}`, issues);
}

export async function recordDispute(
  db: Db,
  actor: Actor,
  input: NewDispute,
  now: Date,
): Promise<DisputeView> {
  refuse(
    disputeIssues({
      submitted_at: input.submitted_at,
      outcome: null,
      decided_at: null,
      implemented_at: null,
      now,
    }),
  );
  return transact(db, async (trx) => {
    const decision = await trx
      .selectFrom('decisions')
      .select(['id', 'status'])
      .where('id', '=', input.decision_id)
      .executeTakeFirst();
    if (!decision) throw notFound(`no decision ${input.decision_id}`);
    const row: DisputeView = {
      id: newId(),
      decision_id: input.decision_id,
      body_name: input.body_name,
      body_certified_by: input.body_certified_by ?? null,
      brought_by: input.brought_by,
      reference: input.reference ?? null,
      submitted_at: input.submitted_at,
      outcome: null,
      decided_at: null,
      implemented_at: null,
      recorded_by: actor.id,
      recorded_at: now,
      updated_at: now,
    };
    await trx.insertInto('out_of_court_disputes').values(row).execute();
    await appendAudit(
      trx,
      actor,
      { action: 'dispute.recorded', objectType: 'decision', objectId: input.decision_id, change: row },
      now,
    );
    return row;
  });
}

export async function updateDispute(
  db: Db,
  actor: Actor,
  id: string,
  change: DisputeChange,
  now: Date,
): Promise<DisputeView> {
  return transact(db, async (trx) => {
    const current = await trx
      .selectFrom('out_of_court_disputes')
      .select(columns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound(`no out-of-court dispute ${id}`);
    const next: DisputeView = {
      ...current,
      outcome: change.outcome ?? current.outcome,
      decided_at: change.decided_at ?? current.decided_at,
      implemented_at: change.implemented_at ?? current.implemented_at,
      reference: change.reference ?? current.reference,
      updated_at: now,
    };
    refuse(disputeIssues({ ...next, now }));
    await trx
      .updateTable('out_of_court_disputes')
      .set({
        outcome: next.outcome,
        decided_at: next.decided_at,
        implemented_at: next.implemented_at,
        reference: next.reference,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'dispute.updated',
        objectType: 'decision',
        objectId: current.decision_id,
        change: { id, ...change },
      },
      now,
    );
    return next;
  });
}

export async function listDisputes(
  db: Db,
  filter: { decision_id?: string | undefined },
): Promise<DisputeView[]> {
  let query = db
    .selectFrom('out_of_court_disputes')
    .select(columns)
    .orderBy('submitted_at', 'desc')
    .orderBy('id')
    .limit(500);
  if (filter.decision_id) query = query.where('decision_id', '=', filter.decision_id);
  return query.execute();
}
