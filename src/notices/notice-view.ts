import { sql } from 'kysely';
import { notFound } from '../core/errors.ts';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import { objectionsOfNotice } from '../objections/queue.ts';
import { ladderOf } from '../orders/escalation.ts';
import { clockState, type Pause } from '../policy/clock.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { ministryRequestOf } from './ministry-request.ts';

/** Reading notices. A flagger sees its own organisation's only; others' are "not found". */
export async function loadNotice(db: Db, actor: Actor, id: string) {
  let query = db
    .selectFrom('notices')
    .innerJoin('organisations', 'organisations.id', 'notices.org_id')
    .selectAll('notices')
    .select(['organisations.slug as org'])
    .where('notices.id', '=', id);
  if (!seesAllOrganisations(actor)) query = query.where('notices.org_id', '=', actor.orgId);
  const notice = await query.executeTakeFirst();
  if (!notice) throw notFound(`no notice ${id}`);
  return notice;
}

export async function noticeView(db: Db, actor: Actor, id: string, now: Date) {
  const notice = await loadNotice(db, actor, id);
  const [targets, pauses, evidence, policy, impossibility, ladder] = await Promise.all([
    db
      .selectFrom('notice_targets')
      .leftJoin('cases', 'cases.id', 'notice_targets.case_id')
      .select([
        'idx',
        'raw',
        'notice_targets.subject',
        'notice_targets.case_id',
        'notice_targets.outcome',
        'notice_targets.outcome_at',
        'cases.status as case_status',
      ])
      .where('notice_id', '=', id)
      .orderBy('idx')
      .execute(),
    db
      .selectFrom('clock_pauses')
      .select(['paused_at', 'resumed_at', 'reason'])
      .where('notice_id', '=', id)
      .orderBy('paused_at')
      .execute(),
    db
      .selectFrom('evidence')
      .select(['id', 'filename', 'content_type', 'size', 'sha256', 'uploaded_at', 'purged_at'])
      .where('notice_id', '=', id)
      .orderBy('uploaded_at')
      .execute(),
    currentPolicy(db),
    impossibilityOf(db, id),
    ladderOf(db, notice, now),
  ]);
  const objections = await objectionsOfNotice(db, actor, id, policy.document.at_risk_thresholds, now);
  const clockPauses: Pause[] = pauses.map((p) => ({ from: p.paused_at, to: p.resumed_at }));
  const state = clockState(
    notice.received_at,
    notice.legal_hours,
    clockPauses,
    now,
    policy.document.at_risk_thresholds,
    notice.closed_at,
  );
  const pausedFor = notice.paused_since ? now.getTime() - notice.paused_since.getTime() : 0;
  const ministryRequest = await ministryRequestOf(db, notice, targets.length, evidence);
  return {
    id: notice.id,
    org: notice.org,
    kind: notice.kind,
    source_type: notice.source_type,
    category: notice.category,
    jurisdiction: notice.jurisdiction,
    language: notice.language,
    legal_basis: notice.legal_basis,
    legal_references: notice.legal_references,
    explanation: notice.explanation,
    reference: notice.reference,
    notifier: notice.anonymous && !seesAllOrganisations(actor) ? notice.notifier : notice.notifier,
    anonymous: notice.anonymous,
    order: notice.order_details,
    order_kind: notice.order_kind,
    status: notice.status,
    received_at: notice.received_at,
    deadline: new Date(notice.legal_due_at.getTime() + pausedFor),
    target_deadline: new Date(notice.target_due_at.getTime() + pausedFor),
    clock: {
      state,
      paused: notice.paused_since !== null,
      pauses: pauses.map((p) => ({ paused_at: p.paused_at, resumed_at: p.resumed_at, reason: p.reason })),
    },
    impossibility,
    objections,
    escalation: ladder,
    policy_version: notice.policy_version,
    closed_at: notice.closed_at,
    digest: notice.digest,
    receipt: notice.receipt,
    targets: targets.map((t) => ({
      index: t.idx,
      raw: t.raw,
      subject: t.subject,
      case_id: t.case_id,
      case_status: t.case_status,
      outcome: t.outcome,
      outcome_at: t.outcome_at,
    })),
    evidence,
    ministry_request: ministryRequest,
  };
}

/**
 * TCO Art. 3(7)-(8): the declarations that the notice cannot be carried out for now (each
 * pausing its clock until answered or ended), and the final outcome, when there is one.
 */
async function impossibilityOf(db: Db, noticeId: string) {
  const events = await db
    .selectFrom('notice_events')
    .innerJoin('thread_messages', (join) =>
      join.on((eb) => eb(sql`thread_messages.id::text`, '=', sql`notice_events.data->>'message_id'`)),
    )
    .select(['notice_events.type', 'notice_events.data', 'notice_events.at', 'thread_messages.body'])
    .where('notice_events.notice_id', '=', noticeId)
    .where('notice_events.type', 'in', [
      'notice.impossibility_declared',
      'notice.impossibility_answered',
      'notice.impossibility_ended',
      'notice.impossible',
    ])
    .orderBy('notice_events.seq')
    .execute();
  const declarations: {
    declared_at: Date;
    reason: string;
    explanation: string;
    target_indexes: number[] | null;
    resolved_at: Date | null;
    resolved_by: 'notifier' | 'platform' | null;
  }[] = [];
  let final: { at: Date; reason: string; explanation: string; target_indexes: number[] | null } | null = null;
  for (const e of events) {
    const data = e.data as { reason?: string; target_indexes?: number[] };
    if (e.type === 'notice.impossibility_declared')
      declarations.push({
        declared_at: e.at,
        reason: data.reason ?? 'other',
        explanation: e.body,
        target_indexes: data.target_indexes ?? null,
        resolved_at: null,
        resolved_by: null,
      });
    else if (e.type === 'notice.impossible')
      final = {
        at: e.at,
        reason: data.reason ?? 'other',
        explanation: e.body,
        target_indexes: data.target_indexes ?? null,
      };
    else {
      const open = declarations.find((d) => d.resolved_at === null);
      if (open) {
        open.resolved_at = e.at;
        open.resolved_by = e.type === 'notice.impossibility_answered' ? 'notifier' : 'platform';
      }
    }
  }
  const open = declarations.find((d) => d.resolved_at === null) ?? null;
  return { open, declarations, for_good: final };
}

/** Every status a notice can have (intake, src/notices/threads.ts, src/decisions/finalise.ts). */
export const noticeStatuses = [
  'received',
  'in_review',
  'clarification_requested',
  'impossibility_declared',
  'objected',
  'actioned',
  'partially_actioned',
  'no_action',
  'rejected',
  'impossible',
  'closed',
] as const;

export interface NoticeListFilter {
  status?: string | undefined;
  category?: string | undefined;
  reference?: string | undefined;
  org?: string | undefined;
  before?: Date | undefined;
  limit: number;
}

export async function listNotices(db: Db, actor: Actor, filter: NoticeListFilter) {
  let query = db
    .selectFrom('notices')
    .innerJoin('organisations', 'organisations.id', 'notices.org_id')
    .select([
      'notices.id',
      'organisations.slug as org',
      'notices.kind',
      'notices.category',
      'notices.jurisdiction',
      'notices.source_type',
      'notices.reference',
      'notices.status',
      'notices.received_at',
      'notices.legal_due_at as deadline',
      'notices.target_due_at as target_deadline',
      'notices.paused_since',
      'notices.order_kind',
    ])
    .orderBy('notices.received_at', 'desc')
    .orderBy('notices.id', 'desc')
    .limit(filter.limit);
  if (!seesAllOrganisations(actor)) query = query.where('notices.org_id', '=', actor.orgId);
  if (filter.org) query = query.where('organisations.slug', '=', filter.org);
  if (filter.status) query = query.where('notices.status', '=', filter.status);
  if (filter.category) query = query.where('notices.category', '=', filter.category);
  if (filter.reference) query = query.where('notices.reference', '=', filter.reference);
  if (filter.before) query = query.where('notices.received_at', '<', filter.before);
  const items = await query.execute();
  return { items, next_before: items.length === filter.limit ? items[items.length - 1]!.received_at : null };
}
