import { sql } from 'kysely';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import type { Period } from './period.ts';

/**
 * SLA figures: the notices still open with the time left to their legal deadline (frozen
 * while the clock is paused), the breaches, and compliance by ISO week and category. A
 * flagger organisation sees its own notices only; platform staff and auditors all.
 */
const OPEN = ['received', 'in_review', 'clarification_requested'];

export async function slaFigures(db: Db, actor: Actor, period: Period, now: Date) {
  const own = seesAllOrganisations(actor) ? null : actor.orgId;
  const mine = own ? sql`and n.org_id = ${own}` : sql``;
  const open = (
    await sql<{
      id: string;
      category: string;
      source_type: string;
      received_at: Date;
      legal_due_at: Date;
      target_due_at: Date;
      paused: boolean;
      seconds_left: number;
    }>`
      select n.id, n.category, n.source_type, n.received_at, n.legal_due_at, n.target_due_at,
        n.paused_since is not null as paused,
        extract(epoch from n.legal_due_at - coalesce(n.paused_since, ${now}))::float8 as seconds_left
      from notices n where n.status in (${sql.join(OPEN)}) ${mine}
      order by seconds_left limit 200`.execute(db)
  ).rows;
  const [counts] = (
    await sql<{ open: string; breached: string; at_risk: string }>`
      select count(*) as open,
        count(*) filter (where n.paused_since is null and n.legal_due_at < ${now}) as breached,
        count(*) filter (where n.paused_since is null and n.legal_due_at >= ${now} and n.target_due_at < ${now}) as at_risk
      from notices n where n.status in (${sql.join(OPEN)}) ${mine}`.execute(db)
  ).rows;
  const weekly = (
    await sql<{ week: string; category: string; notices: string; answered: string; within: string }>`
      with n as (
        select n.id, n.category, n.received_at, n.legal_due_at from notices n
        where n.received_at >= ${period.start} and n.received_at < ${period.end} ${mine}
      ), answered as (
        select t.notice_id, min(t.outcome_at) as at from notice_targets t join n on n.id = t.notice_id
        where t.outcome_at is not null group by t.notice_id
      )
      select to_char(date_trunc('week', n.received_at at time zone 'UTC'), 'IYYY-"W"IW') as week, n.category,
        count(*) as notices, count(a.at) as answered, count(*) filter (where a.at <= n.legal_due_at) as within
      from n left join answered a on a.notice_id = n.id group by 1, 2 order by 1, 2`.execute(db)
  ).rows;
  return {
    scope: own ? 'own_organisation' : 'all',
    at: now.toISOString(),
    period: { from: period.from, to: period.to },
    open: Number(counts!.open),
    breached: Number(counts!.breached),
    at_risk: Number(counts!.at_risk),
    open_notices: open.map((r) => ({
      notice_id: r.id,
      category: r.category,
      source_type: r.source_type,
      received_at: new Date(r.received_at).toISOString(),
      legal_due_at: new Date(r.legal_due_at).toISOString(),
      paused: r.paused,
      seconds_left: Math.round(Number(r.seconds_left)),
      breached: !r.paused && Number(r.seconds_left) < 0,
    })),
    compliance_by_week: weekly.map((r) => ({
      week: r.week,
      category: r.category,
      notices: Number(r.notices),
      answered: Number(r.answered),
      within_legal_deadline: Number(r.within),
      share_within_legal_deadline:
        Number(r.answered) > 0 ? Math.round((Number(r.within) / Number(r.answered)) * 10_000) / 10_000 : null,
    })),
  };
}
