import { sql } from 'kysely';
import { seesWholeQueue } from '../cases/queue.ts';
import { notFound } from '../core/errors.ts';
import { toView } from '../deadlines/deadline-clock.ts';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { tookPartInAny } from './rules.ts';

/**
 * Open objections, the one due first first. A reviewer sees those of the jurisdictions and
 * languages it covers, and never those on decisions it made or approved; leads see all.
 */
export async function listObjections(
  db: Db,
  actor: Actor,
  filter: { limit: number },
  now: Date,
  thresholds: readonly number[],
) {
  let query = baseQuery(db).where('objections.status', '=', 'open');
  if (!seesWholeQueue(actor)) {
    query = query
      .where('objections.jurisdiction', 'in', actor.jurisdictions.length ? [...actor.jurisdictions] : ['--'])
      .where('objections.language', 'in', actor.languages.length ? [...actor.languages] : ['--'])
      .where(sql<boolean>`not (${actor.id}::uuid = any(objections.deciders))`);
  }
  const rows = await query
    .orderBy(sql`deadline_clocks.due_at asc nulls last`)
    .orderBy('objections.created_at')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => present(row, actor, thresholds, now));
}

/** The objections of one notice, for its view (both sides). */
export async function objectionsOfNotice(
  db: Db,
  actor: Actor,
  noticeId: string,
  thresholds: readonly number[],
  now: Date,
) {
  const rows = await baseQuery(db)
    .where('objections.notice_id', '=', noticeId)
    .orderBy('objections.created_at')
    .execute();
  return rows.map((row) => present(row, actor, thresholds, now));
}

export async function objectionView(
  db: Db,
  actor: Actor,
  id: string,
  thresholds: readonly number[],
  now: Date,
) {
  let query = baseQuery(db).where('objections.id', '=', id);
  if (!seesAllOrganisations(actor)) query = query.where('objections.org_id', '=', actor.orgId);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`no objection ${id}`);
  return present(row, actor, thresholds, now);
}

function baseQuery(db: Db) {
  return db
    .selectFrom('objections')
    .leftJoin('deadline_clocks', (join) =>
      join
        .onRef('deadline_clocks.subject_id', '=', 'objections.id')
        .on('deadline_clocks.subject_type', '=', 'objection'),
    )
    .select([
      'objections.id',
      'objections.notice_id',
      'objections.grounds',
      'objections.case_ids',
      'objections.decision_ids',
      'objections.deciders',
      'objections.jurisdiction',
      'objections.language',
      'objections.status',
      'objections.outcome',
      'objections.answer',
      'objections.answered_by',
      'objections.answered_at',
      'objections.created_at',
      'deadline_clocks.started_at as clock_started_at',
      'deadline_clocks.hours as clock_hours',
      'deadline_clocks.due_at',
      'deadline_clocks.stopped_at as clock_stopped_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function present(row: Row, actor: Actor, thresholds: readonly number[], now: Date) {
  const { clock_started_at, clock_hours, clock_stopped_at, deciders, ...rest } = row;
  return {
    ...rest,
    // Who decided is the platform's business; a notifier sees only that someone else answers.
    may_answer: actor.orgKind === 'platform' && rest.status === 'open' && !tookPartInAny(deciders, actor.id),
    deadline:
      clock_started_at && clock_hours !== null && rest.due_at
        ? toView(
            {
              started_at: clock_started_at,
              hours: clock_hours,
              due_at: rest.due_at,
              stopped_at: clock_stopped_at,
            },
            thresholds,
            now,
          )
        : null,
  };
}
