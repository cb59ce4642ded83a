import { notFound } from '../core/errors.ts';
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
  // DSA Art. 23: the strikes against the subject's channel and account, and what they led to.
  const userIds = actions.flatMap((a) => {
    const userId = (a.subject as { user_id?: unknown }).user_id;
    return typeof userId === 'string' ? [userId] : [];
  });
  const strikes = await strikesOfCase(db, row, userIds, now);
  return { ...row, events, notices, decisions, actions, legal_holds: holds, strikes };
}
