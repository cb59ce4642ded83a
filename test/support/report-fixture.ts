import { newId } from '../../src/core/ids.ts';
import type { Db } from '../../src/store/db.ts';

/**
 * A small world for the transparency report, written straight to the tables with chosen
 * times, so that every figure can be worked out by hand (test/transparency/report.test.ts
 * says how). Needs the demo organisations (komdigi, ngo).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

export interface ReportWorld {
  notices: Record<string, string>;
  decisions: Record<string, string>;
}

async function orgId(db: Db, slug: string) {
  return (
    await db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  ).id;
}

export async function seedReportWorld(db: Db): Promise<ReportWorld> {
  const komdigi = await orgId(db, 'komdigi');
  const ngo = await orgId(db, 'ngo');
  const world: ReportWorld = { notices: {}, decisions: {} };

  async function notice(
    name: string,
    o: {
      org: string;
      source: string;
      category: string;
      jurisdiction?: string;
      received: Date;
      ackAfterMs: number;
      legalHours: number;
      targetHours: number;
      pauseMs?: number;
      status?: string;
      order?: Record<string, unknown>;
      /** The kind of order (src/orders/order-kinds.ts); an order is an MR5 order unless told. */
      orderKind?: string;
    },
  ) {
    const id = newId();
    const pause = o.pauseMs ?? 0;
    await db
      .insertInto('notices')
      .values({
        id,
        org_id: o.org,
        submitted_by: 'fixture',
        submitted_by_type: 'user',
        kind: o.order ? 'order' : 'notice',
        source_type: o.source,
        category: o.category,
        jurisdiction: o.jurisdiction ?? 'ID',
        language: 'id',
        legal_basis: o.order ? 'UU No. 5 Tahun 2018' : null,
        legal_references: JSON.stringify([]),
        explanation: 'Synthetic notice for the report.',
        reference: null,
        good_faith: true,
        notifier: JSON.stringify(null),
        anonymous: false,
        order_details: JSON.stringify(o.order ?? null),
        order_kind: o.order ? (o.orderKind ?? 'mr5_order') : null,
        received_at: o.received,
        legal_hours: o.legalHours,
        target_hours: o.targetHours,
        // The stored due times move with closed pauses (src/notices/notice-clock.ts).
        legal_due_at: at(o.received.toISOString(), o.legalHours * HOUR + pause),
        target_due_at: at(o.received.toISOString(), o.targetHours * HOUR + pause),
        paused_since: null,
        policy_version: 1,
        status: o.status ?? 'received',
        digest: `digest-${id}`,
        receipt: `receipt-${id}`,
        bulk_job_id: null,
      })
      .execute();
    await db
      .insertInto('notice_events')
      .values({
        id: newId(),
        notice_id: id,
        org_id: o.org,
        type: 'notice.received',
        data: JSON.stringify({}),
        at: at(o.received.toISOString(), o.ackAfterMs),
      })
      .execute();
    world.notices[name] = id;
    return id;
  }

  async function caseFor(noticeIds: string[], opened: Date, outcomeAt: Date | null, outcome: string | null) {
    const id = newId();
    await db
      .insertInto('cases')
      .values({
        id,
        subject_key: `telegram:message:report/${id}`,
        subject: JSON.stringify({ kind: 'message' }),
        status: 'closed',
        jurisdiction: 'ID',
        category: 'terrorism',
        severity: 5,
        trusted: false,
        notice_count: noticeIds.length,
        language: 'id',
        opened_at: opened,
        closed_at: outcomeAt,
        decided_at: outcomeAt,
        outcome,
      })
      .execute();
    for (const noticeId of noticeIds)
      await db
        .insertInto('notice_targets')
        .values({
          notice_id: noticeId,
          idx: 0,
          raw: 'https://t.me/report/1',
          subject_key: `telegram:message:report/${id}`,
          subject: JSON.stringify({ kind: 'message' }),
          case_id: id,
          outcome,
          outcome_at: outcomeAt,
        })
        .execute();
    return id;
  }

  async function decision(
    name: string,
    caseId: string,
    o: {
      outcome: string;
      ground: 'legal' | 'terms' | 'none';
      created: Date;
      automated?: boolean;
      status?: string;
      suspension?: { target: string; until: string | null } | null;
    },
  ) {
    const id = newId();
    const grounds =
      o.ground === 'legal'
        ? { illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic.' } }
        : o.ground === 'terms'
          ? { incompatible: { ground: 'Terms §4', explanation: 'Synthetic.' } }
          : {};
    await db
      .insertInto('decisions')
      .values({
        id,
        case_id: caseId,
        decided_by: newId(),
        outcome: o.outcome,
        grounds: JSON.stringify(grounds),
        territories: [],
        suspension: JSON.stringify(o.suspension ?? null),
        label: null,
        actions: JSON.stringify([]),
        irreversible: false,
        irreversible_acknowledged: false,
        automated_detection: o.automated ?? false,
        automated_decision: false,
        language: 'id',
        template_id: null,
        status: o.status ?? 'final',
        needs_approval: null,
        created_at: o.created,
      })
      .execute();
    world.decisions[name] = id;
    return id;
  }

  async function action(decisionId: string, caseId: string, type: string, applied: Date | null) {
    await db
      .insertInto('enforcement_actions')
      .values({
        id: newId(),
        decision_id: decisionId,
        case_id: caseId,
        connector: 'webhook',
        type,
        subject: JSON.stringify({}),
        params: JSON.stringify({}),
        revertible: true,
        status: applied ? 'applied' : 'pending',
        applied_at: applied,
        created_at: applied ?? new Date('2026-01-01T00:00:00Z'),
      })
      .execute();
  }

  async function appeal(
    decisionId: string,
    caseId: string,
    o: { type: 'affected_user' | 'notifier'; created: Date; decidedAfterMs?: number; outcome?: string },
  ) {
    await db
      .insertInto('appeals')
      .values({
        id: newId(),
        case_id: caseId,
        decision_id: decisionId,
        appellant_type: o.type,
        appellant: JSON.stringify({}),
        notice_id: null,
        grounds: 'Synthetic grounds.',
        status: o.outcome ? 'decided' : 'open',
        assigned_to: null,
        lease_until: null,
        decided_by: o.outcome ? newId() : null,
        decided_at: o.decidedAfterMs === undefined ? null : at(o.created.toISOString(), o.decidedAfterMs),
        outcome: o.outcome ?? null,
        reasons: o.outcome ? 'Synthetic reasons.' : null,
        created_at: o.created,
      })
      .execute();
  }

  async function message(noticeId: string, kind: string, created: Date) {
    await db
      .insertInto('thread_messages')
      .values({
        id: newId(),
        notice_id: noticeId,
        side: kind === 'objection' ? 'notifier' : 'platform',
        kind,
        author_type: 'user',
        author_id: 'fixture',
        author_name: 'Fixture',
        body: 'Synthetic message.',
        target_idx: null,
        created_at: created,
      })
      .execute();
  }

  // Outside the period, on either side of it.
  await notice('N0', {
    org: komdigi,
    source: 'trusted_flagger',
    category: 'terrorism',
    received: new Date('2025-12-31T23:59:59.999Z'),
    ackAfterMs: 1000,
    legalHours: 4,
    targetHours: 1,
  });
  await notice('N6', {
    org: ngo,
    source: 'regular_notice',
    category: 'hoax',
    received: new Date('2027-01-01T00:00:00Z'),
    ackAfterMs: 1000,
    legalHours: 24,
    targetHours: 12,
  });

  // N5: the period's first instant, never answered; past its legal deadline.
  await notice('N5', {
    org: komdigi,
    source: 'trusted_flagger',
    category: 'terrorism',
    received: new Date('2026-01-01T00:00:00Z'),
    ackAfterMs: 10_000,
    legalHours: 4,
    targetHours: 1,
  });

  // N1: a trusted flagger's notice, decided after 30 min, acted on after 40.
  const n1 = await notice('N1', {
    org: komdigi,
    source: 'trusted_flagger',
    category: 'terrorism',
    received: new Date('2026-03-01T00:00:00Z'),
    ackAfterMs: 2000,
    legalHours: 4,
    targetHours: 1,
    status: 'actioned',
  });
  const c1 = await caseFor([n1], at('2026-03-01T00:00:00Z'), at('2026-03-01T00:30:00Z'), 'removed');
  const d1 = await decision('D1', c1, {
    outcome: 'remove',
    ground: 'legal',
    created: at('2026-03-01T00:30:00Z'),
    automated: true,
  });
  // The statement's delivery is no action: it comes first and must not count.
  await action(d1, c1, 'deliver_statement', at('2026-03-01T00:35:00Z'));
  await action(d1, c1, 'hide_message', at('2026-03-01T00:40:00Z'));
  await appeal(d1, c1, {
    type: 'affected_user',
    created: at('2026-03-02T00:00:00Z'),
    decidedAfterMs: 2 * HOUR,
    outcome: 'upheld',
  });

  // N2: an order, its clock paused for an hour of clarification; decided at +130 min, acted at +150.
  const n2 = await notice('N2', {
    org: komdigi,
    source: 'government_order',
    category: 'terrorism',
    received: new Date('2026-05-01T00:00:00Z'),
    ackAfterMs: 4000,
    legalHours: 1,
    targetHours: 1,
    pauseMs: HOUR,
    status: 'actioned',
    order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'SAMAN' },
  });
  await db
    .insertInto('clock_pauses')
    .values({
      id: newId(),
      notice_id: n2,
      paused_at: at('2026-05-01T00:10:00Z'),
      resumed_at: at('2026-05-01T01:10:00Z'),
      reason: 'clarification_requested',
      message_id: null,
    })
    .execute();
  await message(n2, 'clarification_request', at('2026-05-01T00:10:00Z'));
  const c2 = await caseFor([n2], at('2026-05-01T00:00:00Z'), at('2026-05-01T02:10:00Z'), 'removed');
  const d2 = await decision('D2', c2, {
    outcome: 'remove',
    ground: 'legal',
    created: at('2026-05-01T02:10:00Z'),
  });
  await action(d2, c2, 'hide_message', at('2026-05-01T02:30:00Z'));

  // N3: a regular notice, no action after 10 hours; the notifier objects and appeals.
  const n3 = await notice('N3', {
    org: ngo,
    source: 'regular_notice',
    category: 'hoax',
    received: new Date('2026-07-01T00:00:00Z'),
    ackAfterMs: 6000,
    legalHours: 24,
    targetHours: 12,
    status: 'no_action',
  });
  const c3 = await caseFor([n3], at('2026-07-01T00:00:00Z'), at('2026-07-01T10:00:00Z'), 'no_action');
  const d3 = await decision('D3', c3, {
    outcome: 'no_action',
    ground: 'none',
    created: at('2026-07-01T10:00:00Z'),
  });
  await message(n3, 'objection', at('2026-07-02T00:00:00Z'));
  await appeal(d3, c3, { type: 'notifier', created: at('2026-07-02T00:00:00Z') });
  await db
    .insertInto('notice_events')
    .values([
      {
        id: newId(),
        notice_id: n3,
        org_id: ngo,
        type: 'notice.impossible',
        data: JSON.stringify({ reason: 'manifest_errors' }),
        at: at('2026-07-01T05:00:00Z'),
      },
      {
        id: newId(),
        notice_id: n3,
        org_id: ngo,
        type: 'notice.impossible',
        data: JSON.stringify({ reason: 'force_majeure' }),
        at: at('2025-07-01T05:00:00Z'),
      },
    ])
    .execute();

  // N4: the period's last second, in Germany, never answered; its deadline falls after the period.
  await notice('N4', {
    org: ngo,
    source: 'regular_notice',
    category: 'gambling',
    jurisdiction: 'DE',
    received: new Date('2026-12-31T23:59:59Z'),
    ackAfterMs: 8000,
    legalHours: 24,
    targetHours: 12,
  });

  // Own-initiative decisions: an account suspended on the terms (detected automatically), a channel on the law.
  const c4 = await caseFor([], at('2026-08-01T00:00:00Z'), at('2026-08-01T00:00:00Z'), 'suspended');
  const d4 = await decision('D4', c4, {
    outcome: 'suspend',
    ground: 'terms',
    created: at('2026-08-01T00:00:00Z'),
    automated: true,
    suspension: { target: 'account', until: '2026-09-01T00:00:00Z' },
  });
  await appeal(d4, c4, {
    type: 'affected_user',
    created: at('2026-08-05T00:00:00Z'),
    decidedAfterMs: 4 * HOUR,
    outcome: 'rejected',
  });
  const c5 = await caseFor([], at('2026-08-02T00:00:00Z'), at('2026-08-02T00:00:00Z'), 'suspended');
  await decision('D5', c5, {
    outcome: 'suspend',
    ground: 'legal',
    created: at('2026-08-02T00:00:00Z'),
    suspension: { target: 'channel', until: null },
  });
  // Not counted: a decision of 2025, one still waiting for its second reviewer, an appeal of 2025.
  const c6 = await caseFor([], at('2025-06-01T00:00:00Z'), at('2025-06-01T00:00:00Z'), 'removed');
  const d6 = await decision('D6', c6, {
    outcome: 'remove',
    ground: 'legal',
    created: at('2025-06-01T00:00:00Z'),
    automated: true,
  });
  await appeal(d6, c6, {
    type: 'affected_user',
    created: at('2025-06-02T00:00:00Z'),
    decidedAfterMs: HOUR,
    outcome: 'upheld',
  });
  await decision('D7', c5, {
    outcome: 'remove',
    ground: 'legal',
    created: at('2026-09-01T00:00:00Z'),
    status: 'pending_approval',
  });

  // A notifier suspended in the period (DSA Art. 23(2)), and one before it.
  for (const effective of ['2026-10-01T00:00:00Z', '2025-10-01T00:00:00Z'])
    await db
      .insertInto('flagger_status_changes')
      .values({
        id: newId(),
        org_id: ngo,
        from_status: 'regular',
        to_status: 'suspended',
        reasons: 'Synthetic: manifestly unfounded notices.',
        decided_by: 'fixture',
        effective_at: new Date(effective),
        until: null,
      })
      .execute();
  return world;
}
