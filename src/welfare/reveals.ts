import { sql } from 'kysely';
import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { assertRoutedTo } from '../cases/queue.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import {
  countsAsExposure,
  type Exposure,
  exposureOf,
  refusesReveal,
  secondsToNextDay,
  utcDay,
} from './exposure.ts';

/**
 * Every reveal of content by a reviewer is recorded (`reveals`), and media counts toward
 * the reviewer's daily exposure (src/welfare/exposure.ts has the rules).
 */
export type RevealableType = 'evidence' | 'preserved_content';

export interface RevealInput {
  objectType: RevealableType;
  objectId: string;
  caseId: string | null;
  contentType: string | null;
}

/** Reviewers are people of the platform; an API key or a notifier's analyst is not counted. */
function isReviewer(actor: Actor): boolean {
  return actor.type === 'user' && actor.orgKind === 'platform';
}

/**
 * Records a reveal and returns the reviewer's exposure today; refuses (429, Retry-After to
 * the next UTC day) a new media item past the limit. Returns null for callers that are not
 * reviewers. Runs in the caller's transaction, or in one of its own.
 *
 * Lock order, to stay clear of deadlocks: a caller that locks the case does so before this.
 */
export async function recordReveal(
  db: Db,
  actor: Actor,
  reveal: RevealInput,
  limit: number,
  now: Date,
): Promise<Exposure | null> {
  if (!isReviewer(actor)) return null;
  const run = async (trx: Db): Promise<Exposure> => {
    // One reviewer's reveals are counted one at a time: two at once cannot both pass the limit.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`tapis.exposure:${actor.id}`}, 0))`.execute(
      trx,
    );
    const day = utcDay(now);
    const counted = countsAsExposure(reveal.contentType);
    const { rows } = await sql<{ count: number | string; seen: boolean | null }>`
      select count(distinct object_type || ':' || object_id) as count,
             bool_or(object_type = ${reveal.objectType} and object_id = ${reveal.objectId}) as seen
        from reveals where reviewer_id = ${actor.id} and day = ${day} and counted`.execute(trx);
    const count = Number(rows[0]?.count ?? 0);
    const seen = rows[0]?.seen === true;
    if (refusesReveal(count, seen, counted, limit)) throw exposureLimitReached(count, limit, now);
    await trx
      .insertInto('reveals')
      .values({
        id: newId(),
        reviewer_id: actor.id,
        case_id: reveal.caseId,
        object_type: reveal.objectType,
        object_id: reveal.objectId,
        day,
        at: now,
        content_type: reveal.contentType,
        counted,
      })
      .execute();
    return exposureOf(counted && !seen ? count + 1 : count, limit, now);
  };
  return db.isTransaction ? run(db) : transact(db, run);
}

function exposureLimitReached(count: number, limit: number, now: Date): DomainError {
  const exposure = exposureOf(count, limit, now);
  return new DomainError(
    'rate_limited',
    `you have revealed ${count} media items today, the daily limit; take a break. New media can be revealed again from ${exposure.resets_at.toISOString()} (the next UTC day), and a lead can hand your cases to another reviewer meanwhile`,
    {
      extra: { retry_after: secondsToNextDay(now), ...exposure, resets_at: exposure.resets_at.toISOString() },
    },
  );
}

export interface RevealedObject {
  object_type: RevealableType;
  object_id: string;
  content_type: string | null;
  sha256: string | null;
}

/**
 * The console's "reveal" button: the item (evidence of one of the case's notices, or content
 * preserved for the case) is shown unblurred. Recorded as a reveal and as a
 * `content_revealed` case event, which the audit chain carries.
 */
export async function revealInCase(
  db: Db,
  actor: Actor,
  caseId: string,
  object: { type: RevealableType; id: string },
  limit: number,
  now: Date,
): Promise<{ object: RevealedObject; exposure: Exposure | null }> {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    // Content is shown only to reviewers the case routes to (its jurisdiction and language).
    assertRoutedTo(actor, current, 'case');
    const found = await findInCase(trx, caseId, object);
    const exposure = await recordReveal(
      trx,
      actor,
      { objectType: object.type, objectId: object.id, caseId, contentType: found.content_type },
      limit,
      now,
    );
    await recordCaseEvent(
      trx,
      current,
      actor,
      { type: 'content_revealed', data: { ...found, counted: countsAsExposure(found.content_type) } },
      now,
    );
    return { object: found, exposure };
  });
}

async function findInCase(
  trx: Db,
  caseId: string,
  object: { type: RevealableType; id: string },
): Promise<RevealedObject> {
  const row =
    object.type === 'evidence'
      ? await trx
          .selectFrom('evidence')
          .select(['content_type', 'sha256', 'purged_at'])
          .where('id', '=', object.id)
          .where('notice_id', 'in', (eb) =>
            eb.selectFrom('notice_targets').select('notice_id').where('case_id', '=', caseId),
          )
          .executeTakeFirst()
      : await trx
          .selectFrom('preserved_content')
          .select(['content_type', 'sha256', 'purged_at'])
          .where('id', '=', object.id)
          .where('case_id', '=', caseId)
          .executeTakeFirst();
  const label = object.type.replace('_', ' ');
  if (!row) throw notFound(`no ${label} ${object.id} in case ${caseId}`);
  if (row.purged_at)
    throw notFound(
      `${label} ${object.id} was purged on ${row.purged_at.toISOString()} after its preservation period; only its hashes remain`,
    );
  return {
    object_type: object.type,
    object_id: object.id,
    content_type: row.content_type,
    sha256: row.sha256,
  };
}
