import type { Db } from '../store/db.ts';

/** The notices that name a case's subject, with their notifier organisations. */
export async function noticesOfCase(trx: Db, caseId: string) {
  return trx
    .selectFrom('notice_targets')
    .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
    .select([
      'notices.id',
      'notices.org_id',
      'notices.status',
      'notices.source_type',
      'notices.paused_since',
      'notices.closed_at',
      'notices.received_at',
      'notices.kind',
      'notices.reference',
      'notices.legal_basis',
      'notice_targets.idx',
    ])
    .where('notice_targets.case_id', '=', caseId)
    .orderBy('notices.received_at')
    .execute();
}
