import { sql } from 'kysely';
import { conflict, forbidden, invalid } from '../core/errors.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { lockCase, recordCaseEvent } from './case-events.ts';

/**
 * The review queue and its leases. A case is worked by one reviewer at a time: claiming
 * takes a lease (5 minutes by default, renewable, released on decision); a lead can
 * reassign. Cases route to reviewers who list the case's jurisdiction and speak its
 * language; leads and admins see every case.
 */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface QueueFilter {
  jurisdiction?: string | undefined;
  category?: string | undefined;
  source?: string | undefined;
  language?: string | undefined;
  mine?: boolean | undefined;
  limit: number;
  /** Rows to skip: the console pages through a long queue. */
  offset?: number | undefined;
}

/** What routing reads of a reviewer: a signed-in actor, or a user row a lead assigns to. */
type Reviewer = { roles: readonly string[]; jurisdictions: readonly string[]; languages: readonly string[] };

export function seesWholeQueue(actor: { roles: readonly string[] }): boolean {
  return actor.roles.includes('lead') || actor.roles.includes('admin');
}

/**
 * Open cases the caller may work on, the one to work next first: by due time (the earlier
 * of the legal deadline and the internal target, net of pauses), then trusted flaggers,
 * category severity, hash-match confidence and the number of notices.
 */
export async function listQueue(db: Db, actor: Actor, filter: QueueFilter, now: Date) {
  let query = db
    .selectFrom('cases')
    .select([
      'id as case_id',
      'subject_key',
      'subject',
      'status',
      'jurisdiction',
      'category',
      'severity',
      'trusted',
      'language',
      'notice_count',
      'hash_match_confidence',
      'due_at',
      'legal_due_at',
      'assigned_to',
      'lease_until',
      'escalated',
      sql<
        string[]
      >`array(select distinct t.notice_id::text from notice_targets t where t.case_id = cases.id)`.as(
        'notice_ids',
      ),
    ])
    .where((eb) =>
      eb.or([
        eb('status', 'in', seesWholeQueue(actor) ? ['open', 'escalated'] : ['open']),
        // A lease that ran out puts the case back in line.
        eb.and([eb('status', '=', 'in_review'), eb('lease_until', '<', now)]),
        eb.and([eb('status', '=', 'in_review'), eb('assigned_to', '=', actor.id)]),
      ]),
    )
    .orderBy(sql`due_at asc nulls last`)
    .orderBy('trusted', 'desc')
    .orderBy('severity', 'desc')
    .orderBy(sql`hash_match_confidence desc nulls last`)
    .orderBy('notice_count', 'desc')
    .orderBy('opened_at')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (!seesWholeQueue(actor)) {
    query = query
      .where('jurisdiction', 'in', actor.jurisdictions.length ? [...actor.jurisdictions] : ['--'])
      .where('language', 'in', actor.languages.length ? [...actor.languages] : ['--']);
  }
  if (filter.jurisdiction) query = query.where('jurisdiction', '=', filter.jurisdiction);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.language) query = query.where('language', '=', filter.language);
  if (filter.mine) query = query.where('assigned_to', '=', actor.id);
  if (filter.source) {
    const source = filter.source;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('notice_targets as t')
          .innerJoin('notices as n', 'n.id', 't.notice_id')
          .select('t.case_id')
          .whereRef('t.case_id', '=', 'cases.id')
          .where('n.source_type', '=', source),
      ),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    ...row,
    priority: priorityOf(row),
    held_by_me: row.assigned_to === actor.id && row.lease_until !== null && row.lease_until > now,
  }));
}

/** A number that orders cases with the same due time; shown to reviewers as a hint. */
export function priorityOf(c: {
  trusted: boolean;
  severity: number;
  hash_match_confidence: number | null;
  notice_count: number;
}): number {
  return (
    (c.trusted ? 1000 : 0) +
    c.severity * 100 +
    Math.round((c.hash_match_confidence ?? 0) * 50) +
    Math.min(c.notice_count, 49)
  );
}

/** Whether a reviewer may work a case: it lists the jurisdiction and speaks the language. */
export function mayWork(actor: Reviewer, c: { jurisdiction: string; language: string }): boolean {
  if (seesWholeQueue(actor)) return true;
  return actor.jurisdictions.includes(c.jurisdiction) && actor.languages.includes(c.language);
}

/**
 * For a reviewer acting on a case outside a claim — approving or refusing a four-eyes
 * decision, deciding an appeal, revealing content: the case's routing holds as it does for
 * a claim (a 403 otherwise). A reviewer who may not be shown the case may not settle it.
 */
export function assertRoutedTo(
  actor: Reviewer,
  c: { jurisdiction: string; language: string },
  what: 'case' | 'appeal',
): void {
  if (!mayWork(actor, c))
    throw forbidden(`this ${what} is for reviewers of ${c.jurisdiction} who speak '${c.language}'`);
}

/** For a lead handing work over: the reviewer must be able to work it (a 400 otherwise). */
export function assertMayWork(
  reviewer: Reviewer,
  c: { jurisdiction: string; language: string },
  what: 'case' | 'appeal',
): void {
  if (!mayWork(reviewer, c))
    throw invalid(`that reviewer does not cover ${c.jurisdiction} in '${c.language}'`, [
      { pointer: '/reviewer_id', detail: `cannot work this ${what}` },
    ]);
}

export async function claimCase(db: Db, actor: Actor, caseId: string, now: Date, leaseMs = DEFAULT_LEASE_MS) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    if (!mayWork(actor, current)) {
      throw forbidden(
        `this case is for reviewers of ${current.jurisdiction} who speak '${current.language}'`,
      );
    }
    if (
      current.status === 'in_review' &&
      current.assigned_to &&
      current.assigned_to !== actor.id &&
      current.lease_until &&
      current.lease_until > now
    ) {
      throw conflict(`another reviewer holds this case until ${current.lease_until.toISOString()}`, {
        lease_until: current.lease_until,
      });
    }
    if (current.status === 'escalated' && !seesWholeQueue(actor))
      throw forbidden('this case was escalated to a lead');
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const type =
      current.assigned_to === actor.id && current.status === 'in_review' ? 'lease_renewed' : 'claimed';
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type,
        data: {
          lease_until: leaseUntil,
          ...(current.assigned_to && current.assigned_to !== actor.id
            ? { lease_expired_for: current.assigned_to }
            : {}),
        },
        set: { assigned_to: actor.id, lease_until: leaseUntil },
      },
      now,
    );
  });
}

/** The caller must hold an unexpired lease on the case. */
export function assertHolds(
  actor: Actor,
  c: { assigned_to: string | null; lease_until: Date | null; status: string },
  now: Date,
): void {
  if (c.status !== 'in_review' || c.assigned_to !== actor.id || !c.lease_until || c.lease_until <= now) {
    throw conflict('claim the case first (POST /v1/cases/{id}/claim); your lease is missing or has run out');
  }
}

export async function releaseCase(db: Db, actor: Actor, caseId: string, now: Date) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertHolds(actor, current, now);
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'released',
        to: current.escalated ? 'escalated' : 'open',
        set: { assigned_to: null, lease_until: null },
      },
      now,
    );
  });
}

/**
 * The reviewer a lead hands work to: an active user of the platform who reviews. Anyone else
 * is a 400 on /reviewer_id. `what` names the work in the message.
 */
export async function activeReviewer(db: Db, reviewerId: string, what: 'case' | 'appeal') {
  const reviewer = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'users.id',
      'users.roles',
      'users.languages',
      'users.jurisdictions',
      'users.disabled_at',
      'organisations.kind',
    ])
    .where('users.id', '=', reviewerId)
    .executeTakeFirst();
  if (
    !reviewer ||
    reviewer.disabled_at ||
    reviewer.kind !== 'platform' ||
    !reviewer.roles.some((r) => ['reviewer', 'lead', 'admin'].includes(r))
  ) {
    throw invalid(`assign the ${what} to an active reviewer of the platform`, [
      { pointer: '/reviewer_id', detail: 'not an active reviewer' },
    ]);
  }
  return reviewer;
}

/** A lead hands a case to a reviewer (who must be able to work it). */
export async function reassignCase(
  db: Db,
  actor: Actor,
  caseId: string,
  reviewerId: string,
  now: Date,
  leaseMs = DEFAULT_LEASE_MS,
) {
  const reviewer = await activeReviewer(db, reviewerId, 'case');
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertMayWork(reviewer, current, 'case');
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: 'reassigned',
        data: { from: current.assigned_to, to: reviewerId, lease_until: leaseUntil },
        set: { assigned_to: reviewerId, lease_until: leaseUntil },
      },
      now,
    );
  });
}

export async function escalateCase(db: Db, actor: Actor, caseId: string, reason: string, now: Date) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    if (current.status === 'in_review') assertHolds(actor, current, now);
    return recordCaseEvent(
      trx,
      current,
      actor,
      { type: 'escalated', data: { reason }, set: { escalated: true, assigned_to: null, lease_until: null } },
      now,
    );
  });
}

export async function commentOnCase(db: Db, actor: Actor, caseId: string, body: string, now: Date) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    return recordCaseEvent(trx, current, actor, { type: 'commented', data: { body } }, now);
  });
}
