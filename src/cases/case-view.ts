import { sql } from 'kysely';
import { notFound } from '../core/errors.ts';
import { toView } from '../deadlines/deadline-clock.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { strikesOfCase } from '../strikes/repeat-infringers.ts';

/** A case as the desk shows it: the projection, its notices, its decisions and actions, and its event log. */
export async function caseView(db: Db, caseId: string, now: Date = new Date()) {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound(`no case ${caseId}`);
  const [events, notices, decisions, actions, holds] = await Promise.all([
    db
      .selectFrom('case_events')
      .select(['seq', 'type', 'from_status', 'to_status', 'actor_type', 'actor_id', 'data', 'at'])
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('notice_targets')
      .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
      .innerJoin('organisations', 'organisations.id', 'notices.org_id')
      .select([
        'notices.id',
        'organisations.slug as org',
        'notices.source_type',
        'notices.category',
        'notices.reference',
        'notices.explanation',
        'notices.legal_basis',
        'notices.status',
        'notices.received_at',
        'notices.legal_due_at',
        'notices.target_due_at',
        'notices.paused_since',
        'notice_targets.idx',
        'notice_targets.raw',
      ])
      .where('notice_targets.case_id', '=', caseId)
      .orderBy('notices.received_at')
      .execute(),
    db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute(),
    db
      .selectFrom('enforcement_actions')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('legal_holds').selectAll().where('case_id', '=', caseId).orderBy('placed_at').execute(),
  ]);
  const [appeals, objections] = await clockedWork(db, caseId, now);
  // DSA Art. 23: the strikes against the subject's channel and account, and what they led to.
  const userIds = actions.flatMap((a) => {
    const userId = (a.subject as { user_id?: unknown }).user_id;
    return typeof userId === 'string' ? [userId] : [];
  });
  const strikes = await strikesOfCase(db, row, userIds, now);
  return { ...row, events, notices, decisions, actions, legal_holds: holds, appeals, objections, strikes };
}

/**
 * The case's appeals (DSA Art. 20(4)) and objections (SAMAN "sanggah"), each with its
 * clock (src/deadlines/), so that the desk sees what is owed and by when.
 */
async function clockedWork(db: Db, caseId: string, now: Date) {
  const thresholds = (await currentPolicy(db)).document.at_risk_thresholds;
  const [appeals, objections] = await Promise.all([
    db
      .selectFrom('appeals')
      .leftJoin('deadline_clocks as c', (join) =>
        join.onRef('c.subject_id', '=', 'appeals.id').on('c.subject_type', '=', 'appeal'),
      )
      .select([
        'appeals.id',
        'appeals.decision_id',
        'appeals.appellant_type',
        'appeals.notice_id',
        'appeals.status',
        'appeals.outcome',
        'appeals.created_at',
        'appeals.decided_at',
        'c.started_at',
        'c.hours',
        'c.due_at',
        'c.stopped_at',
      ])
      .where('appeals.case_id', '=', caseId)
      .orderBy('appeals.created_at')
      .execute(),
    db
      .selectFrom('objections')
      .leftJoin('deadline_clocks as c', (join) =>
        join.onRef('c.subject_id', '=', 'objections.id').on('c.subject_type', '=', 'objection'),
      )
      .select([
        'objections.id',
        'objections.notice_id',
        'objections.status',
        'objections.outcome',
        'objections.created_at',
        'objections.answered_at',
        'c.started_at',
        'c.hours',
        'c.due_at',
        'c.stopped_at',
      ])
      .where(sql<boolean>`${caseId}::uuid = any(objections.case_ids)`)
      .orderBy('objections.created_at')
      .execute(),
  ]);
  const withDeadline = <
    T extends { started_at: Date | null; hours: number | null; due_at: Date | null; stopped_at: Date | null },
  >(
    row: T,
  ) => {
    const { started_at, hours, due_at, stopped_at, ...rest } = row;
    return {
      ...rest,
      deadline:
        started_at && hours !== null && due_at
          ? toView({ started_at, hours, due_at, stopped_at }, thresholds, now)
          : null,
    };
  };
  return [appeals.map(withDeadline), objections.map(withDeadline)] as const;
}
