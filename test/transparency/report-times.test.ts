import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import type { Db } from '../../src/store/db.ts';
import { parsePeriod } from '../../src/transparency/period.ts';
import { buildReport, reportJson } from '../../src/transparency/report/report.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { seedReportWorld } from '../support/report-fixture.ts';

/**
 * The report reads per-notice times kept by triggers (migration 1200) instead of computing
 * them at each run. Here they are checked against an independent computation: the query the
 * report used before, over the raw rows (receipt events, targets, enforcement actions, clock
 * pauses), after the writes that move those times — a pause opened and resumed around a
 * decision, an open pause, a decision moved, an action applied later and one un-applied, a
 * notice joining a second case, a pause withdrawn, a status change. Every per-notice time
 * and every report figure built on them must agree exactly.
 */
let app: TestApp;
let db: Db;
const period = parsePeriod({ from: '2026-01-01', to: '2026-12-31' }, new Date('2027-03-01T00:00:00Z'));

/** The report's former per-notice computation, verbatim, over the raw rows. */
const legacyTimes = sql`
  n as (
    select id, org_id, kind, source_type, category, jurisdiction, order_details, status,
           received_at, legal_due_at, target_due_at
    from notices where received_at >= ${period.start} and received_at < ${period.end}
  ),
  ack as (
    select e.notice_id, min(e.at) as at from notice_events e join n on n.id = e.notice_id
    where e.type = 'notice.received' group by e.notice_id
  ),
  dec as (
    select t.notice_id, min(t.outcome_at) as at from notice_targets t join n on n.id = t.notice_id
    where t.outcome_at is not null group by t.notice_id
  ),
  act as (
    select t.notice_id, min(a.applied_at) as at
    from notice_targets t join n on n.id = t.notice_id join enforcement_actions a on a.case_id = t.case_id
    where a.applied_at is not null and a.type <> 'deliver_statement' and a.applied_at >= n.received_at
    group by t.notice_id
  ),
  marks as (
    select n.*, ack.at as ack_at, dec.at as dec_at, act.at as act_at
    from n left join ack on ack.notice_id = n.id left join dec on dec.notice_id = n.id
    left join act on act.notice_id = n.id
  ),
  paused as (
    select m.id,
      sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, m.dec_at), m.dec_at) - greatest(c.paused_at, m.received_at)))) as dec_paused,
      sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, m.act_at), m.act_at) - greatest(c.paused_at, m.received_at)))) as act_paused
    from marks m join clock_pauses c on c.notice_id = m.id group by m.id
  ),
  times as (
    select m.*,
      extract(epoch from m.ack_at - m.received_at) as ack_s,
      extract(epoch from m.dec_at - m.received_at) - coalesce(pz.dec_paused, 0) as dec_s,
      extract(epoch from m.act_at - m.received_at) - coalesce(pz.act_paused, 0) as act_s,
      coalesce(m.act_at, m.dec_at) as answered_at
    from marks m left join paused pz on pz.id = m.id
  )`;

type Times = {
  id: string;
  ack_s: number | null;
  dec_s: number | null;
  act_s: number | null;
  answered: string | null;
};

const fromRow = (r: Record<string, unknown>): Times => ({
  id: String(r.id),
  ack_s: r.ack_s === null ? null : Number(r.ack_s),
  dec_s: r.dec_s === null ? null : Number(r.dec_s),
  act_s: r.act_s === null ? null : Number(r.act_s),
  answered: r.answered === null ? null : new Date(r.answered as string).toISOString(),
});

async function legacy(): Promise<Times[]> {
  const { rows } = await sql<Record<string, unknown>>`with ${legacyTimes}
    select id, ack_s, dec_s, act_s, answered_at as answered from times order by id`.execute(db);
  return rows.map(fromRow);
}

async function kept(): Promise<Times[]> {
  const { rows } = await sql<
    Record<string, unknown>
  >`select notice_id as id, ack_s, dec_s, act_s, answered_at as answered
    from report_notice_times where received_at >= ${period.start} and received_at < ${period.end} order by notice_id`.execute(
    db,
  );
  return rows.map(fromRow);
}

/** The timing and deadline figures as the report used to compute them. */
async function legacyFigures() {
  const { rows } = await sql<Record<string, unknown>>`with ${legacyTimes}
    select count(ack_s) as ack_n, percentile_cont(0.5) within group (order by ack_s) as ack_median,
      percentile_cont(0.9) within group (order by ack_s) as ack_p90,
      count(dec_s) as dec_n, percentile_cont(0.5) within group (order by dec_s) as dec_median,
      percentile_cont(0.9) within group (order by dec_s) as dec_p90,
      count(act_s) as act_n, percentile_cont(0.5) within group (order by act_s) as act_median,
      percentile_cont(0.9) within group (order by act_s) as act_p90,
      count(answered_at) as answered,
      count(*) filter (where answered_at <= legal_due_at) as within_legal,
      count(*) filter (where answered_at <= target_due_at) as within_target
    from times`.execute(db);
  const r = rows[0]!;
  const round = (v: unknown) => (v === null ? null : Math.round(Number(v) * 10) / 10);
  return {
    timing: (['ack', 'dec', 'act'] as const).map((k) => ({
      notices: Number(r[`${k}_n`]),
      median_seconds: round(r[`${k}_median`]),
      p90_seconds: round(r[`${k}_p90`]),
    })),
    answered: Number(r.answered),
    within_legal: Number(r.within_legal),
    within_target: Number(r.within_target),
  };
}

async function expectAgreement() {
  expect(await kept()).toEqual(await legacy());
  const expected = await legacyFigures();
  const { tables } = reportJson(await buildReport(db, period, new Date('2027-03-01T00:00:00Z')));
  expect(
    (tables.timing as Record<string, unknown>[]).map((t) => ({
      notices: t.notices,
      median_seconds: t.median_seconds,
      p90_seconds: t.p90_seconds,
    })),
  ).toEqual(expected.timing);
  const [deadlines] = tables.deadlines as Record<string, unknown>[];
  expect({
    answered: deadlines!.answered,
    within_legal: deadlines!.within_legal_deadline,
    within_target: deadlines!.within_internal_target,
  }).toEqual({
    answered: expected.answered,
    within_legal: expected.within_legal,
    within_target: expected.within_target,
  });
}

const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows[0]!;

beforeAll(async () => {
  app = await createTestApp();
  db = app.ctx.db;
  await seedReportWorld(db);
});
afterAll(() => app.close());

describe('per-notice report times kept by triggers', () => {
  it('agree with the former computation over the raw rows, on the seeded world', async () => {
    expect((await kept()).length).toBe(5);
    await expectAgreement();
  });

  it('follow pauses, decisions, actions, cases and statuses as they change', async () => {
    // The first decided notice of the period, with its case.
    const target = await one(sql<{ notice_id: string; case_id: string; outcome_at: Date; received_at: Date }>`
      select t.notice_id, t.case_id, t.outcome_at, n.received_at from notice_targets t join notices n on n.id = t.notice_id
      where t.outcome_at is not null and n.received_at >= ${period.start} order by t.outcome_at limit 1`);
    const received = new Date(target.received_at).getTime();
    const decided = new Date(target.outcome_at).getTime();

    // A pause opened after receipt and resumed after the decision: only its part before the decision counts.
    const pause = newId();
    await sql`insert into clock_pauses (id, notice_id, paused_at, resumed_at, reason)
      values (${pause}, ${target.notice_id}, ${new Date(received + 60_000)}, ${new Date(decided + 600_000)}, 'clarification_requested')`.execute(
      db,
    );
    await expectAgreement();

    // An open pause on another notice of the period.
    const other = await one(sql<{ id: string; received_at: Date }>`
      select id, received_at from notices where received_at >= ${period.start} and received_at < ${period.end}
        and id <> ${target.notice_id} order by received_at limit 1`);
    await sql`insert into clock_pauses (id, notice_id, paused_at, resumed_at, reason)
      values (${newId()}, ${other.id}, ${new Date(new Date(other.received_at).getTime() + 1_000)}, null, 'clarification_requested')`.execute(
      db,
    );
    await expectAgreement();

    // The decision moved earlier; an action applied later on the case; a pending one applied.
    await sql`update notice_targets set outcome_at = outcome_at - interval '7 minutes' where notice_id = ${target.notice_id}`.execute(
      db,
    );
    const decision = await one(
      sql<{ id: string }>`select id from decisions where case_id = ${target.case_id} limit 1`,
    );
    const late = newId();
    await sql`insert into enforcement_actions (id, decision_id, case_id, connector, type, subject, params, revertible, status,
        applied_at, created_at)
      values (${late}, ${decision.id}, ${target.case_id}, 'webhook', 'hide_message', '{}', '{}', true, 'pending', null, ${new Date(decided)})`.execute(
      db,
    );
    await expectAgreement();
    await sql`update enforcement_actions set status = 'applied', applied_at = ${new Date(decided + 120_000)} where id = ${late}`.execute(
      db,
    );
    await expectAgreement();

    // Every applied action of the case un-applied (reverted to pending): the notice is no longer acted on.
    await sql`update enforcement_actions set applied_at = null, status = 'pending' where case_id = ${target.case_id}`.execute(
      db,
    );
    await expectAgreement();

    // The other notice joins that case through a second target, and the case is acted on again.
    await sql`insert into notice_targets (notice_id, idx, raw, subject_key, subject, case_id, outcome, outcome_at)
      values (${other.id}, 7, 'https://t.me/report/2', 'telegram:message:report/second', '{}', ${target.case_id}, 'removed', ${new Date(decided)})`.execute(
      db,
    );
    await sql`update enforcement_actions set applied_at = ${new Date(decided + 300_000)}, status = 'applied' where id = ${late}`.execute(
      db,
    );
    await expectAgreement();

    // The pause withdrawn, a status and a due time changed, the second target removed.
    await sql`delete from clock_pauses where id = ${pause}`.execute(db);
    await sql`update notices set status = 'actioned', legal_due_at = legal_due_at + interval '1 hour' where id = ${other.id}`.execute(
      db,
    );
    await expectAgreement();
    await sql`delete from notice_targets where notice_id = ${other.id} and idx = 7`.execute(db);
    await expectAgreement();
    const copy = await one(
      sql<{ status: string }>`select status from report_notice_times where notice_id = ${other.id}`,
    );
    expect(copy.status).toBe('actioned');
  });
});
