import { invalid } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { parsePeriod } from './period.ts';
import { submissionStates } from './submission.ts';

/**
 * The submission state of each statement of reasons to the DSA Transparency Database, for
 * the leads, admins and auditors who answer for it: what is pending, what was accepted
 * (with the database's id), what was refused or failed and why, after how many attempts.
 * Newest first, paged by an opaque cursor (queued_at, statement id), so a page stays right
 * while new statements are queued.
 */
export const submissionStatuses = ['pending', 'submitted', 'refused', 'failed', 'outside_eea'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export interface SubmissionQuery {
  status?: SubmissionStatus[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  puid?: string | undefined;
  case_id?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

interface Cursor {
  queued_at: string;
  statement_id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.queued_at, c.statement_id]), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string): Cursor {
  const bad = () =>
    invalid('cursor: not a cursor this listing gave out', [
      { in: 'querystring', pointer: '/cursor', detail: 'the next_cursor of an earlier page' },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    Number.isNaN(Date.parse(value[0])) ||
    typeof value[1] !== 'string' ||
    !UUID.test(value[1])
  )
    throw bad();
  return { queued_at: value[0], statement_id: value[1] };
}

export async function listSubmissions(db: Db, query: SubmissionQuery, now: Date) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const period = query.from || query.to ? parsePeriod({ from: query.from, to: query.to }, now) : null;
  let q = db
    .selectFrom('tdb_submissions as s')
    .innerJoin('statements as st', 'st.id', 's.statement_id')
    .select([
      's.statement_id',
      's.puid',
      'st.decision_id',
      'st.case_id',
      's.status',
      's.attempts',
      's.last_error',
      's.tdb_uuid',
      's.queued_at',
      's.submitted_at',
    ]);
  if (query.status && query.status.length > 0) q = q.where('s.status', 'in', query.status);
  if (period) q = q.where('s.queued_at', '>=', period.start).where('s.queued_at', '<', period.end);
  if (query.puid) q = q.where('s.puid', '=', query.puid);
  if (query.case_id) q = q.where('st.case_id', '=', query.case_id);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('s.queued_at', '<', new Date(after.queued_at)),
        eb.and([
          eb('s.queued_at', '=', new Date(after.queued_at)),
          eb('s.statement_id', '<', after.statement_id),
        ]),
      ]),
    );
  const rows = await q
    .orderBy('s.queued_at', 'desc')
    .orderBy('s.statement_id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...r,
      queued_at: new Date(r.queued_at).toISOString(),
      submitted_at: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
    })),
    next_cursor:
      rows.length > query.limit && last
        ? encodeCursor({ queued_at: new Date(last.queued_at).toISOString(), statement_id: last.statement_id })
        : null,
    /** Every statement's state, unfiltered: the totals the page is part of. */
    totals: await submissionStates(db),
  };
}
