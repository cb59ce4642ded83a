import type { Db } from '../store/db.ts';

/** Enforcement actions in one status, newest first: the leads' list of failures to retry. */
export async function listActions(db: Db, filter: { status: string; limit: number }) {
  return db
    .selectFrom('enforcement_actions')
    .select([
      'id',
      'case_id',
      'decision_id',
      'connector',
      'type',
      'subject',
      'status',
      'attempts',
      'last_error',
      'created_at',
      'applied_at',
    ])
    .where('status', '=', filter.status)
    .orderBy('created_at', 'desc')
    .limit(filter.limit)
    .execute();
}
