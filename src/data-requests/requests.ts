import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { parseTarget } from '../notices/targets.ts';
import { writeMessage } from '../notices/threads.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { buildPackage } from './package.ts';
import {
  clockState,
  type DataCategory,
  dataCategories,
  MAX_PERIOD_DAYS,
  nextMark,
  requesterKinds,
} from './rules.ts';

/**
 * A data request's life, each step in one transaction with its audit entry: received (its
 * clock starts: the SOP policy's urgent or normal hours), then approved, partly approved or
 * refused by a platform lead with reasons. On approval the package is built, stored with its
 * digests and delivered: at the download route, and in the thread of the requester's notice
 * when the request names one (its feed and webhooks carry it as a `notice.message`).
 */
export interface DataRequestInput {
  reference: string;
  subject: { target: string; hint?: 'channel' | 'group' | 'account' | undefined };
  legal_basis: string;
  categories: DataCategory[];
  period: { from: Date; to: Date };
  urgency: 'urgent' | 'normal';
  notice_id?: string | undefined;
}

export interface DataRequestDecision {
  decision: 'approve' | 'approve_partly' | 'refuse';
  reasons: string;
  categories?: DataCategory[] | undefined;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
export const dataRequestClockActor: SystemActor = { type: 'system', id: 'data-request-clock' };

export async function submitDataRequest(db: Db, actor: Actor, input: DataRequestInput, now: Date) {
  if (!requesterKinds.includes(actor.orgKind))
    throw forbidden(
      `only law-enforcement, government and court organisations ask for data (MR5/2020); ${actor.orgSlug} is ${actor.orgKind}`,
    );
  const parsed = parseTarget(input.subject.target, input.subject.hint);
  if (!parsed.ok)
    throw invalid(`subject/target: ${parsed.reason}`, [
      { pointer: '/subject/target', detail: parsed.reason },
    ]);
  if (input.period.to.getTime() < input.period.from.getTime())
    throw invalid('period/to: the period ends before it begins', [
      { pointer: '/period/to', detail: 'before from' },
    ]);
  if (input.period.to.getTime() - input.period.from.getTime() > MAX_PERIOD_DAYS * DAY)
    throw invalid(`period: at most ${MAX_PERIOD_DAYS} days`, [{ pointer: '/period', detail: 'too long' }]);
  const categories = [...new Set(input.categories)];
  const policy = await currentPolicy(db);
  const hours =
    input.urgency === 'urgent'
      ? policy.document.data_requests.urgent_hours
      : policy.document.data_requests.normal_hours;
  const due = new Date(now.getTime() + hours * HOUR);
  return transact(db, async (trx) => {
    if (input.notice_id) {
      const own = await trx
        .selectFrom('notices')
        .select('id')
        .where('id', '=', input.notice_id)
        .where('org_id', '=', actor.orgId)
        .executeTakeFirst();
      if (!own)
        throw invalid('notice_id: not a notice of your organisation', [
          { pointer: '/notice_id', detail: 'not a notice of your organisation' },
        ]);
    }
    const existing = await trx
      .selectFrom('data_requests')
      .select(['id', 'legal_basis', 'subject'])
      .where('org_id', '=', actor.orgId)
      .where('reference', '=', input.reference)
      .executeTakeFirst();
    if (existing) {
      // The same request sent again (a retry): the same answer. A different one under the same reference: refused.
      const same =
        existing.legal_basis === input.legal_basis &&
        (existing.subject as { key?: string }).key === parsed.subject.key;
      if (same) return { created: false, view: await dataRequestView(trx, existing.id, now) };
      throw conflict(
        `your organisation already sent a different data request with reference ${input.reference}`,
        {
          existing_request: existing.id,
        },
      );
    }
    const id = newId();
    const first = nextMark(now, due, policy.document.at_risk_thresholds, 0);
    await trx
      .insertInto('data_requests')
      .values({
        id,
        org_id: actor.orgId,
        requested_by: actor.id,
        reference: input.reference,
        subject: JSON.stringify({ ...parsed.subject, target: input.subject.target }),
        legal_basis: input.legal_basis,
        categories,
        period_from: input.period.from,
        period_to: input.period.to,
        urgency: input.urgency,
        notice_id: input.notice_id ?? null,
        status: 'received',
        received_at: now,
        due_at: due,
        next_clock_at: first?.at ?? null,
      })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'data_request.received',
        objectType: 'data_request',
        objectId: id,
        change: {
          reference: input.reference,
          subject_key: parsed.subject.key,
          legal_basis: input.legal_basis,
          categories,
          period: input.period,
          urgency: input.urgency,
          due_at: due,
        },
      },
      now,
    );
    return { created: true, view: await dataRequestView(trx, id, now) };
  });
}

export async function decideDataRequest(
  db: Db,
  actor: Actor,
  id: string,
  input: DataRequestDecision,
  now: Date,
) {
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const row = await trx
      .selectFrom('data_requests')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`no data request ${id}`);
    if (row.status !== 'received')
      throw conflict(`the data request is already ${row.status.replace('_', ' ')}`);
    let disclosed: DataCategory[] = [];
    if (input.decision === 'approve') {
      if (input.categories)
        throw invalid(
          'categories: a full approval discloses what was asked; use approve_partly to narrow it',
          [{ pointer: '/categories', detail: 'only for approve_partly' }],
        );
      disclosed = row.categories as DataCategory[];
    } else if (input.decision === 'approve_partly') {
      const asked = new Set(row.categories);
      const given = [...new Set(input.categories ?? [])];
      const outside = given.findIndex((c) => !asked.has(c));
      if (given.length === 0 || given.length >= asked.size || outside >= 0)
        throw invalid('categories: a partial approval discloses some, not all, of the categories asked for', [
          {
            pointer: outside >= 0 ? `/categories/${outside}` : '/categories',
            detail: outside >= 0 ? 'not asked for' : `a strict subset of ${[...asked].join(', ')}`,
          },
        ]);
      disclosed = given;
    } else if (input.categories) {
      throw invalid('categories: a refusal discloses nothing', [
        { pointer: '/categories', detail: 'not for refuse' },
      ]);
    }
    const status =
      input.decision === 'approve'
        ? 'approved'
        : input.decision === 'approve_partly'
          ? 'partly_approved'
          : 'refused';
    const pack =
      disclosed.length > 0
        ? await buildPackage(
            trx,
            id,
            {
              subjectKey: (row.subject as { key: string }).key,
              categories: disclosed,
              from: new Date(row.period_from),
              to: new Date(row.period_to),
            },
            now,
          )
        : null;
    await trx
      .updateTable('data_requests')
      .set({
        status,
        decided_by: actor.id,
        decided_at: now,
        reasons: input.reasons,
        disclosed_categories: disclosed,
        package: pack ? JSON.stringify(pack) : null,
        package_digest: pack?.digest ?? null,
        delivered_at: pack ? now : null,
        next_clock_at: null,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: `data_request.${status}`,
        objectType: 'data_request',
        objectId: id,
        change: {
          reference: row.reference,
          legal_basis: row.legal_basis,
          reasons: input.reasons,
          asked: row.categories,
          disclosed,
          // What was disclosed, listed: each file with its digest.
          manifest: pack?.manifest ?? null,
          package_digest: pack?.digest ?? null,
          on_time: now.getTime() <= new Date(row.due_at).getTime(),
        },
      },
      now,
    );
    if (row.notice_id) {
      const body = [
        `Data request ${row.reference} (MR5/2020): ${status.replace('_', ' ')}.`,
        `Reasons: ${input.reasons}`,
        pack
          ? `Disclosed: ${disclosed.join(', ')}. Download: GET /v1/data-requests/${id}/package (SHA-256 ${pack.digest}).`
          : 'Nothing is disclosed.',
      ].join('\n\n');
      await writeMessage(
        trx,
        actor,
        row.notice_id,
        { kind: 'message', body },
        policy.document.at_risk_thresholds,
        now,
      );
    }
    return dataRequestView(trx, id, now);
  });
}

/** Who may see a request: platform leads (decide), and the requesting organisation. */
export function assertMaySee(actor: Actor, row: { org_id: string } | null): void {
  const decides = actor.permissions.has('data_requests:decide');
  const submits = actor.permissions.has('data_requests:submit');
  if (!decides && !submits)
    throw forbidden(
      "this needs the 'data_requests:submit' or 'data_requests:decide' permission, which your roles do not grant",
    );
  if (row && !decides && row.org_id !== actor.orgId) throw notFound('no such data request');
}

export async function dataRequestView(db: Db, id: string, now: Date) {
  const row = await db
    .selectFrom('data_requests')
    .innerJoin('organisations', 'organisations.id', 'data_requests.org_id')
    .selectAll('data_requests')
    .select('organisations.slug as org')
    .where('data_requests.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`no data request ${id}`);
  return toView(row, (await currentPolicy(db)).document.at_risk_thresholds, now);
}

type Row = Awaited<ReturnType<typeof listRows>>[number];

function listRows(db: Db) {
  return db
    .selectFrom('data_requests')
    .innerJoin('organisations', 'organisations.id', 'data_requests.org_id')
    .selectAll('data_requests')
    .select('organisations.slug as org')
    .execute();
}

function toView(row: Row, thresholds: readonly number[], now: Date) {
  const { package: pack, next_clock_at: _, clock_marks_announced: __, ...rest } = row;
  const manifest = (pack as { manifest?: unknown } | null)?.manifest ?? null;
  return {
    ...rest,
    clock: clockState(
      {
        received_at: new Date(row.received_at),
        due_at: new Date(row.due_at),
        decided_at: row.decided_at ? new Date(row.decided_at) : null,
      },
      thresholds,
      now,
    ),
    manifest,
  };
}

export async function listDataRequests(
  db: Db,
  actor: Actor,
  filter: { status?: string | undefined },
  now: Date,
) {
  assertMaySee(actor, null);
  let query = db
    .selectFrom('data_requests')
    .innerJoin('organisations', 'organisations.id', 'data_requests.org_id')
    .selectAll('data_requests')
    .select('organisations.slug as org')
    .orderBy('data_requests.due_at')
    .limit(500);
  if (!actor.permissions.has('data_requests:decide'))
    query = query.where('data_requests.org_id', '=', actor.orgId);
  if (filter.status) query = query.where('data_requests.status', '=', filter.status as Row['status']);
  const thresholds = (await currentPolicy(db)).document.at_risk_thresholds;
  return (await query.execute()).map((row) => toView(row, thresholds, now));
}

export async function readDataRequest(db: Db, actor: Actor, id: string, now: Date) {
  const row = await db.selectFrom('data_requests').select('org_id').where('id', '=', id).executeTakeFirst();
  assertMaySee(actor, row ?? null);
  if (!row) throw notFound(`no data request ${id}`);
  return dataRequestView(db, id, now);
}

export async function readPackage(db: Db, actor: Actor, id: string) {
  const row = await db
    .selectFrom('data_requests')
    .select(['org_id', 'package', 'package_digest', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  assertMaySee(actor, row ?? null);
  if (!row) throw notFound(`no data request ${id}`);
  if (!row.package)
    throw notFound(`data request ${id} has no package: it is ${row.status.replace('_', ' ')}`);
  return { ...(row.package as object), digest: row.package_digest };
}

/**
 * The clock's pass: every request whose next mark has come is announced at risk, or breached,
 * as a leads' alert and an audit entry (and in the requester's thread when it names a
 * notice). Returns how many marks it announced.
 */
export async function announceDataRequestClock(db: Db, now: Date): Promise<number> {
  const policy = await currentPolicy(db);
  const thresholds = policy.document.at_risk_thresholds;
  return transact(db, async (trx) => {
    const due = await trx
      .selectFrom('data_requests')
      .selectAll()
      .where('next_clock_at', '<=', now)
      .where('status', '=', 'received')
      .orderBy('next_clock_at')
      .limit(100)
      .forUpdate()
      .skipLocked()
      .execute();
    let announced = 0;
    for (const row of due) {
      let marks = row.clock_marks_announced;
      let mark = nextMark(new Date(row.received_at), new Date(row.due_at), thresholds, marks);
      // Only the latest mark reached is announced: a request overdue at once is breached, not also at risk.
      let reached: NonNullable<typeof mark> | null = null;
      while (mark && mark.at.getTime() <= now.getTime()) {
        reached = mark;
        marks += 1;
        mark = nextMark(new Date(row.received_at), new Date(row.due_at), thresholds, marks);
      }
      await trx
        .updateTable('data_requests')
        .set({ clock_marks_announced: marks, next_clock_at: mark?.at ?? null })
        .where('id', '=', row.id)
        .execute();
      if (!reached) continue;
      announced += 1;
      const kind = `data_request_${reached.kind}`;
      const data = {
        data_request_id: row.id,
        reference: row.reference,
        urgency: row.urgency,
        due_at: row.due_at,
      };
      await sql`insert into alerts (id, kind, org_id, data, created_at)
        values (${newId()}, ${kind}, ${row.org_id}, ${JSON.stringify(data)}::jsonb, ${now})`.execute(trx);
      await appendAudit(
        trx,
        dataRequestClockActor,
        {
          action: `data_request.${reached.kind}`,
          objectType: 'data_request',
          objectId: row.id,
          change: data,
        },
        now,
      );
    }
    return announced;
  });
}

export { dataCategories };
