import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The report's per-notice times, kept by migration 1200's triggers, made a constant cost per
 * write. A 10-minute soak (`npm run bench:soak`) slowed from 40 ms to 6 s a request: each
 * notice write ran report_refresh_notice_times, whose join of a notice's targets to
 * enforcement_actions the planner made a hash join over a sequential scan of the whole table
 * (it expected 165 targets for one notice), and each action applied looked its notices up
 * with an OR on tg_op that no index serves. pg_stat_user_tables after 7 minutes: 56,766
 * sequential scans of enforcement_actions, 124M rows read, for 4,291 rows.
 *
 * The receipt's time likewise: the planner combined the notice's index with the index on
 * event type, and so read every receipt ever written (13,733 at minute 4) for each notice.
 *
 * Now the first action is looked up per target (a lateral subquery on a partial index of
 * applied actions by case), and an action's notices by `case_id in (new, old)`. Same results:
 * test/transparency/report-times.test.ts compares them with the raw query after every write.
 */
const statements = [
  `create index enforcement_actions_case_applied on enforcement_actions(case_id, applied_at)
     where applied_at is not null`,
  `create or replace function report_refresh_notice_times(nid uuid) returns void
language plpgsql as $fn$
declare
  n record;
  ack timestamptz;
  dec timestamptz;
  act timestamptz;
  dec_paused numeric;
  act_paused numeric;
begin
  select * into n from notices where id = nid;
  if not found then
    delete from report_notice_times where notice_id = nid;
    return;
  end if;
  -- The type as a filter, not a condition: a condition let the planner AND in the type index,
  -- which reads every receipt ever written (see the header).
  select min(e.at) filter (where e.type = 'notice.received') into ack from notice_events e where e.notice_id = nid;
  select min(t.outcome_at) into dec from notice_targets t where t.notice_id = nid and t.outcome_at is not null;
  -- Per target, its case's first action, through enforcement_actions_case_applied: a join
  -- let the planner hash the whole of enforcement_actions at every call (see the header).
  select min(x.at) into act
    from notice_targets t cross join lateral (
      select min(a.applied_at) as at from enforcement_actions a
      where a.case_id = t.case_id and a.applied_at is not null and a.type <> 'deliver_statement'
        and a.applied_at >= n.received_at
    ) x
    where t.notice_id = nid;
  select
    sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, dec), dec) - greatest(c.paused_at, n.received_at)))),
    sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, act), act) - greatest(c.paused_at, n.received_at))))
    into dec_paused, act_paused
    from clock_pauses c where c.notice_id = nid;
  insert into report_notice_times as r (notice_id, org_id, kind, source_type, jurisdiction, issuing_authority, status,
      received_at, legal_due_at, target_due_at, ack_at, dec_at, act_at, ack_s, dec_s, act_s, answered_at)
    values (nid, n.org_id, n.kind, n.source_type, n.jurisdiction, n.order_details->>'issuing_authority', n.status,
      n.received_at, n.legal_due_at, n.target_due_at, ack, dec, act,
      extract(epoch from ack - n.received_at),
      extract(epoch from dec - n.received_at) - coalesce(dec_paused, 0),
      extract(epoch from act - n.received_at) - coalesce(act_paused, 0),
      coalesce(act, dec))
    on conflict (notice_id) do update set org_id = excluded.org_id, kind = excluded.kind,
      source_type = excluded.source_type, jurisdiction = excluded.jurisdiction,
      issuing_authority = excluded.issuing_authority, status = excluded.status,
      received_at = excluded.received_at, legal_due_at = excluded.legal_due_at,
      target_due_at = excluded.target_due_at, ack_at = excluded.ack_at, dec_at = excluded.dec_at,
      act_at = excluded.act_at, ack_s = excluded.ack_s, dec_s = excluded.dec_s, act_s = excluded.act_s,
      answered_at = excluded.answered_at;
end
$fn$`,
  `create or replace function report_notice_times_from_action() returns trigger language plpgsql as $fn$
   declare t record;
   begin
     -- old is null on an insert: the list is then the new case alone.
     for t in select distinct notice_id from notice_targets where case_id in (new.case_id, old.case_id)
     loop perform report_refresh_notice_times(t.notice_id); end loop;
     return null;
   end $fn$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop index enforcement_actions_case_applied`]);
}
