import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import type { Period } from '../period.ts';

/**
 * The transparency report's figures, each one SQL aggregation over the period's rows (DSA
 * Arts. 15 and 24, TCO Art. 7): nothing is loaded row by row, so a year of a million
 * notices is read by the database, with the indexes of migration 0900.
 *
 * Definitions (docs/decisions/0013-transparency-statements-and-report.md):
 * - a notice belongs to the period it was received in; a decision, an appeal, a message,
 *   a suspension to the period it was made in;
 * - acknowledged: when the signed receipt was committed (the notice.received event);
 * - decided: the first decision on any of its targets; acted: the first enforcement
 *   action applied (the delivery of a statement is no action); both net of the time the
 *   clock was paused for clarification (TCO Art. 3(8));
 * - answered in time: acted (or, with nothing to enforce, decided) by the deadline, whose
 *   stored due times already move with the pauses.
 */
export type Row = Record<string, string | number | boolean | null>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const round = (v: unknown, digits = 1) => {
  const n = num(v);
  return n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;
};
const share = (part: unknown, whole: unknown) => {
  const w = Number(whole);
  return w > 0 ? Math.round((Number(part) / w) * 10_000) / 10_000 : null;
};

async function rows(db: Db, query: RawBuilder<Row>): Promise<Row[]> {
  return (await query.execute(db)).rows;
}

const inPeriod = (column: RawBuilder<unknown>, p: Period) =>
  sql`${column} >= ${p.start} and ${column} < ${p.end}`;

/**
 * Per notice of the period: when it was acknowledged, decided, acted on, and the seconds to
 * each net of clock pauses. Computed once per notice, in the transaction that changed it
 * (migration 1200's triggers keep report_notice_times), so a report reads one narrow table
 * by its received_at index instead of joining five tables for every notice at every run.
 */
function noticeTimes(p: Period) {
  return sql`
    times as not materialized (
      select notice_id as id, org_id, kind, order_kind, source_type, jurisdiction, issuing_authority, status, received_at,
        legal_due_at, target_due_at, ack_at, dec_at, act_at, ack_s, dec_s, act_s, answered_at
      from report_notice_times where ${inPeriod(sql.ref('received_at'), p)}
    )`;
}

/**
 * Notices by source type, by category and by jurisdiction: one scan of the period's notices
 * with three grouping sets, rather than three scans of the widest table in the report.
 */
export async function noticeCounts(
  db: Db,
  p: Period,
): Promise<{ bySource: Row[]; byCategory: Row[]; byJurisdiction: Row[] }> {
  const found = await rows(
    db,
    sql<Row>`select source_type, category, jurisdiction, grouping(source_type) as gs, grouping(category) as gc,
        grouping(jurisdiction) as gj, count(*) as notices
      from notices where ${inPeriod(sql.ref('received_at'), p)}
      group by grouping sets ((source_type), (category), (jurisdiction))`,
  );
  const bySourceType = new Map(
    found.filter((r) => Number(r.gs) === 0).map((r) => [r.source_type, num(r.notices)]),
  );
  // Every source type has its row, a zero included: the report's shape does not depend on the data.
  const bySource = SOURCE_TYPES.map((source_type) => ({
    source_type,
    notices: bySourceType.get(source_type) ?? 0,
  }));
  // grouping(x) is 0 on the rows of x's own set; most notices first, then by name.
  const ranked = (column: 'category' | 'jurisdiction', flag: 'gc' | 'gj') =>
    found
      .filter((r) => Number(r[flag]) === 0)
      .map((r) => ({ key: String(r[column]), notices: Number(r.notices) }))
      .sort((a, b) => b.notices - a.notices || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((r) => ({ [column]: r.key, notices: r.notices }));
  return { bySource, byCategory: ranked('category', 'gc'), byJurisdiction: ranked('jurisdiction', 'gj') };
}

const SOURCE_TYPES = [
  'trusted_flagger',
  'government_order',
  'regular_notice',
  'automated_detection',
] as const;

export async function ordersByAuthority(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`with ${noticeTimes(p)}
      select coalesce(order_kind, '(not named)') as order_kind,
        coalesce(issuing_authority, '(not named)') as issuing_authority,
        jurisdiction as member_state, count(*) as orders,
        percentile_cont(0.5) within group (order by ack_s) as median_s_to_acknowledge,
        percentile_cont(0.5) within group (order by act_s) as median_s_to_act
      from times where kind = 'order' group by 1, 2, 3 order by 4 desc, 1, 2, 3`,
  );
  return found.map((r) => ({
    order_kind: r.order_kind!,
    issuing_authority: r.issuing_authority!,
    member_state: r.member_state!,
    orders: num(r.orders),
    median_seconds_to_acknowledge: round(r.median_s_to_acknowledge),
    median_seconds_to_act: round(r.median_s_to_act),
  }));
}

export async function timing(db: Db, p: Period): Promise<Row[]> {
  const [r] = await rows(
    db,
    sql<Row>`with ${noticeTimes(p)}
      select count(ack_s) as ack_n, percentile_cont(array[0.5, 0.9]) within group (order by ack_s) as ack_q,
        count(dec_s) as dec_n, percentile_cont(array[0.5, 0.9]) within group (order by dec_s) as dec_q,
        count(act_s) as act_n, percentile_cont(array[0.5, 0.9]) within group (order by act_s) as act_q
      from times`,
  );
  // One sort per measure gives both quantiles; with no times at all the array is null.
  return (['acknowledge', 'decide', 'act'] as const).map((measure) => {
    const key = measure.slice(0, 3);
    const [median, p90] = (r![`${key}_q`] as unknown as (number | null)[] | null) ?? [null, null];
    return {
      measure,
      notices: num(r![`${key}_n`]),
      median_seconds: round(median),
      p90_seconds: round(p90),
    };
  });
}

export async function deadlines(db: Db, p: Period, asOf: Date): Promise<Row[]> {
  const [r] = await rows(
    db,
    sql<Row>`with ${noticeTimes(p)}
      select count(*) as notices, count(answered_at) as answered,
        count(*) filter (where answered_at <= legal_due_at) as within_legal,
        count(*) filter (where answered_at <= target_due_at) as within_target,
        count(*) filter (where answered_at is null and legal_due_at < ${asOf}) as open_past_legal
      from times`,
  );
  return [
    {
      notices: num(r!.notices),
      answered: num(r!.answered),
      within_legal_deadline: num(r!.within_legal),
      within_internal_target: num(r!.within_target),
      share_within_legal_deadline: share(r!.within_legal, r!.answered),
      share_within_internal_target: share(r!.within_target, r!.answered),
      open_past_legal_deadline: num(r!.open_past_legal),
    },
  ];
}

const groundOf = sql`case when jsonb_typeof(grounds->'illegal') = 'object' then 'legal'
  when jsonb_typeof(grounds->'incompatible') = 'object' then 'terms' else 'none' end`;
const finalIn = (p: Period) => sql`status = 'final' and ${inPeriod(sql.ref('created_at'), p)}`;

export async function actionsByOutcomeAndGround(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`select outcome, ${groundOf} as ground, count(*) as decisions from decisions
      where ${finalIn(p)} group by 1, 2 order by 1, 2`,
  );
  return found.map((r) => ({ outcome: r.outcome!, ground: r.ground!, decisions: num(r.decisions) }));
}

export async function actionsByAutomation(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`select automated_detection,
        coalesce(automation, case when automated_decision then 'fully' end, 'not') as automated_decision,
        count(*) as decisions
      from decisions where ${finalIn(p)} group by 1, 2 order by 1, 2`,
  );
  return found.map((r) => ({
    automated_detection: Boolean(r.automated_detection),
    automated_decision: automationLabel(r.automated_decision),
    decisions: num(r.decisions),
  }));
}

/** fully, partially or not (src/scanning/automation-facts.ts); a decision from before the automated path: not. */
function automationLabel(value: unknown): string {
  return value === 'fully' || value === 'partially' ? value : 'not';
}

export async function threadOutcomes(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`select kind, null as reason, count(*) as n from thread_messages
        where kind in ('clarification_request', 'objection') and ${inPeriod(sql.ref('created_at'), p)} group by kind
      union all
      select 'impossible' as kind, coalesce(data->>'reason', 'other') as reason, count(*) as n from notice_events
        where type = 'notice.impossible' and ${inPeriod(sql.ref('at'), p)} group by 2
      order by 1, 2`,
  );
  const counts = new Map(found.map((r) => [`${r.kind}:${r.reason ?? ''}`, num(r.n)]));
  const out: Row[] = [
    { kind: 'clarification_request', reason: null, count: counts.get('clarification_request:') ?? 0 },
    { kind: 'objection', reason: null, count: counts.get('objection:') ?? 0 },
  ];
  for (const r of found)
    if (r.kind === 'impossible') out.push({ kind: 'impossible', reason: r.reason!, count: num(r.n) });
  return out;
}

export async function appeals(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`select t.appellant_type, count(a.id) as lodged, count(a.decided_at) as decided,
        count(*) filter (where a.outcome = 'upheld') as reversed,
        count(*) filter (where a.outcome = 'rejected') as rejected,
        percentile_cont(0.5) within group (order by extract(epoch from a.decided_at - a.created_at)) as median_s
      from (values ('affected_user', 1), ('notifier', 2)) as t(appellant_type, o)
      left join appeals a on a.appellant_type = t.appellant_type and ${inPeriod(sql.ref('a.created_at'), p)}
      group by t.appellant_type, t.o order by t.o`,
  );
  return found.map((r) => ({
    appellant_type: r.appellant_type!,
    lodged: num(r.lodged),
    decided: num(r.decided),
    reversed: num(r.reversed),
    rejected: num(r.rejected),
    reversal_rate: share(r.reversed, r.decided),
    median_seconds_to_decide: round(r.median_s),
  }));
}

export async function suspensions(db: Db, p: Period): Promise<Row[]> {
  const [r] = await rows(
    db,
    sql<Row>`select
        (select count(*) from decisions where ${finalIn(p)} and outcome = 'suspend' and suspension->>'target' = 'account') as accounts,
        (select count(*) from decisions where ${finalIn(p)} and outcome = 'suspend' and suspension->>'target' = 'channel') as channels,
        (select count(*) from flagger_status_changes where to_status = 'suspended' and ${inPeriod(sql.ref('effective_at'), p)}) as notifiers`,
  );
  return [
    { suspended: 'accounts', count: num(r!.accounts) },
    { suspended: 'channels', count: num(r!.channels) },
    { suspended: 'notifiers', count: num(r!.notifiers) },
  ];
}

/**
 * DSA Art. 15(1)(e): the automated share, and the accuracy of automated actions as the share
 * reversed on appeal, for all banks together and then per bank (the bank an automated
 * decision rests on, recorded by the scanner).
 */
export async function automation(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`with d as (
        select f.id, f.automated_detection, b.name as bank
        from (select id, automated_detection, bank_id from decisions
          where ${finalIn(p)} and outcome in ('remove', 'restrict_in_jurisdiction', 'suspend', 'label')) f
        left join banks b on b.id = f.bank_id
      )
      select grouping(d.bank) as total, d.bank, count(*) as actions,
        count(*) filter (where d.automated_detection) as automated,
        count(*) filter (where d.automated_detection and u.decision_id is not null) as reversed
      from d left join (select distinct decision_id from appeals where outcome = 'upheld') u on u.decision_id = d.id
      group by rollup (d.bank)
      order by grouping(d.bank) desc, d.bank`,
  );
  const all = found.find((r) => Number(r.total) === 1);
  const perBank = found.filter((r) => Number(r.total) === 0 && r.bank !== null);
  return [all ?? { actions: 0, automated: 0, reversed: 0 }, ...perBank].map((r, i) => ({
    bank: i === 0 ? '(all banks)' : String(r.bank),
    restrictive_decisions: num(r.actions),
    automated_detection: num(r.automated),
    automated_share: share(r.automated, r.actions),
    reversed_on_appeal: num(r.reversed),
    share_reversed: share(r.reversed, r.automated),
  }));
}

export async function perTrustedFlagger(db: Db, p: Period): Promise<Row[]> {
  const found = await rows(
    db,
    sql<Row>`with ${noticeTimes(p)}
      select o.slug, o.name, count(*) as notices,
        count(*) filter (where t.status in ('actioned', 'partially_actioned')) as actioned,
        count(t.dec_at) as decided,
        count(*) filter (where t.answered_at <= t.legal_due_at) as within_legal,
        percentile_cont(0.5) within group (order by t.dec_s) as median_s
      from times t join organisations o on o.id = t.org_id
      where t.source_type = 'trusted_flagger'
      group by o.slug, o.name order by 3 desc, 1`,
  );
  return found.map((r) => ({
    flagger: r.slug!,
    name: r.name!,
    notices: num(r.notices),
    decided: num(r.decided),
    actioned: num(r.actioned),
    share_actioned: share(r.actioned, r.decided),
    within_legal_deadline: num(r.within_legal),
    median_seconds_to_decide: round(r.median_s),
  }));
}
