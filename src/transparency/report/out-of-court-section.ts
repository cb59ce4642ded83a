import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import type { Period } from '../period.ts';
import type { Row } from './queries.ts';

/**
 * DSA Art. 24(1)(a): disputes submitted to out-of-court settlement bodies, their outcomes,
 * the median time to complete them, and the share of the bodies' decisions against the
 * platform that it implemented. A dispute belongs to the period it was submitted in for the
 * count, and to the period its body decided in for outcomes, duration and implementation.
 * One row per side that brought it.
 */
export const OUT_OF_COURT = 'out_of_court_disputes';
export const outOfCourtTitle = {
  en: 'Out-of-court disputes (DSA Art. 21)',
  id: 'Sengketa di luar pengadilan (DSA Pasal 21)',
};

export async function outOfCourtDisputes(db: Db, p: Period): Promise<Row[]> {
  const decidedIn = sql`d.decided_at >= ${p.start} and d.decided_at < ${p.end}`;
  const result = await sql<Row>`select t.brought_by,
      count(*) filter (where d.submitted_at >= ${p.start} and d.submitted_at < ${p.end}) as submitted,
      count(*) filter (where ${decidedIn}) as decided,
      count(*) filter (where ${decidedIn} and d.outcome = 'decision_upheld') as upheld,
      count(*) filter (where ${decidedIn} and d.outcome in ('decision_overturned', 'decision_changed')) as against,
      count(*) filter (where ${decidedIn} and d.outcome = 'settled') as settled,
      count(*) filter (where ${decidedIn} and d.outcome in ('withdrawn', 'refused_by_body')) as ended_otherwise,
      count(*) filter (where ${decidedIn} and d.outcome in ('decision_overturned', 'decision_changed') and d.implemented_at is not null) as implemented,
      percentile_cont(0.5) within group (order by extract(epoch from d.decided_at - d.submitted_at))
        filter (where ${decidedIn}) as median_s
    from (values ('affected_user', 1), ('notifier', 2)) as t(brought_by, o)
    left join out_of_court_disputes d on d.brought_by = t.brought_by
    group by t.brought_by, t.o order by t.o`.execute(db);
  return result.rows.map((r) => {
    const against = Number(r.against);
    return {
      brought_by: r.brought_by!,
      submitted: Number(r.submitted),
      decided: Number(r.decided),
      decision_upheld: Number(r.upheld),
      decision_overturned_or_changed: against,
      settled: Number(r.settled),
      withdrawn_or_refused: Number(r.ended_otherwise),
      median_seconds_to_complete: r.median_s === null ? null : Math.round(Number(r.median_s)),
      implemented_share: against > 0 ? Math.round((Number(r.implemented) / against) * 10_000) / 10_000 : null,
    };
  });
}
