import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The transparency report's per-notice times, computed once instead of at every report
 * (docs/decisions/0020-throughput-and-report-times.md). One row per notice: the notice's
 * own facts the report groups by, when it was acknowledged, decided and acted on, and the
 * seconds to each net of clock pauses — the very expressions the report used to evaluate
 * over every notice of the period at every run (four times per report).
 *
 * The rows are kept by triggers, in the transaction of the write that changes them: the
 * receipt event, a target's outcome or case, an enforcement action applied (to every
 * notice on that case), a clock pause, a notice's status or due times. No code path can
 * forget to update them, and the desk's code (decisions, cases, intake) is untouched.
 * `report_refresh_notice_times(id)` recomputes one notice from its rows, so every trigger
 * is the same exact computation; the backfill below is its set-based twin.
 */
const refresh = `create or replace function report_refresh_notice_times(nid uuid) returns void
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
  select min(e.at) into ack from notice_events e where e.notice_id = nid and e.type = 'notice.received';
  select min(t.outcome_at) into dec from notice_targets t where t.notice_id = nid and t.outcome_at is not null;
  select min(a.applied_at) into act
    from notice_targets t join enforcement_actions a on a.case_id = t.case_id
    where t.notice_id = nid and a.applied_at is not null and a.type <> 'deliver_statement'
      and a.applied_at >= n.received_at;
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
$fn$`;

/** The same figures for every notice at once: what the report's old query computed, run once (also by bench/seed-load.ts). */
export const backfillReportNoticeTimes = `insert into report_notice_times (notice_id, org_id, kind, source_type, jurisdiction, issuing_authority,
    status, received_at, legal_due_at, target_due_at, ack_at, dec_at, act_at, ack_s, dec_s, act_s, answered_at)
  with ack as (
    select notice_id, min(at) as at from notice_events where type = 'notice.received' group by notice_id
  ),
  dec as (
    select notice_id, min(outcome_at) as at from notice_targets where outcome_at is not null group by notice_id
  ),
  act as (
    select t.notice_id, min(a.applied_at) as at
    from notice_targets t join notices n on n.id = t.notice_id join enforcement_actions a on a.case_id = t.case_id
    where a.applied_at is not null and a.type <> 'deliver_statement' and a.applied_at >= n.received_at
    group by t.notice_id
  ),
  marks as (
    select n.*, ack.at as ack_at, dec.at as dec_at, act.at as act_at
    from notices n left join ack on ack.notice_id = n.id left join dec on dec.notice_id = n.id
    left join act on act.notice_id = n.id
  ),
  paused as (
    select m.id,
      sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, m.dec_at), m.dec_at) - greatest(c.paused_at, m.received_at)))) as dec_paused,
      sum(greatest(0, extract(epoch from least(coalesce(c.resumed_at, m.act_at), m.act_at) - greatest(c.paused_at, m.received_at)))) as act_paused
    from marks m join clock_pauses c on c.notice_id = m.id group by m.id
  )
  select m.id, m.org_id, m.kind, m.source_type, m.jurisdiction, m.order_details->>'issuing_authority', m.status,
    m.received_at, m.legal_due_at, m.target_due_at, m.ack_at, m.dec_at, m.act_at,
    extract(epoch from m.ack_at - m.received_at),
    extract(epoch from m.dec_at - m.received_at) - coalesce(pz.dec_paused, 0),
    extract(epoch from m.act_at - m.received_at) - coalesce(pz.act_paused, 0),
    coalesce(m.act_at, m.dec_at)
  from marks m left join paused pz on pz.id = m.id`;

const statements = [
  `create table report_notice_times (
     notice_id uuid primary key references notices(id) on delete cascade,
     org_id uuid not null,
     kind text not null,
     source_type text not null,
     jurisdiction text not null,
     issuing_authority text,
     status text not null,
     received_at timestamptz not null,
     legal_due_at timestamptz,
     target_due_at timestamptz,
     ack_at timestamptz,
     dec_at timestamptz,
     act_at timestamptz,
     ack_s double precision,
     dec_s double precision,
     act_s double precision,
     answered_at timestamptz
   )`,
  refresh,
  // Row triggers: each names the notices its row touches and recomputes them.
  `create or replace function report_notice_times_from_notice() returns trigger language plpgsql as $fn$
   begin perform report_refresh_notice_times(new.id); return null; end $fn$`,
  `create or replace function report_notice_times_from_notice_row() returns trigger language plpgsql as $fn$
   begin
     if tg_op <> 'INSERT' then perform report_refresh_notice_times(old.notice_id); end if;
     if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.notice_id is distinct from old.notice_id) then
       perform report_refresh_notice_times(new.notice_id);
     end if;
     return null;
   end $fn$`,
  `create or replace function report_notice_times_from_action() returns trigger language plpgsql as $fn$
   declare t record;
   begin
     for t in select distinct notice_id from notice_targets
       where case_id = new.case_id or (tg_op = 'UPDATE' and case_id = old.case_id)
     loop perform report_refresh_notice_times(t.notice_id); end loop;
     return null;
   end $fn$`,
  `create trigger report_notice_times_notice_insert after insert on notices
     for each row execute function report_notice_times_from_notice()`,
  `create trigger report_notice_times_notice_update after update of status, legal_due_at, target_due_at, received_at,
     kind, source_type, jurisdiction, order_details, org_id on notices
     for each row execute function report_notice_times_from_notice()`,
  `create trigger report_notice_times_receipt after insert on notice_events
     for each row when (new.type = 'notice.received') execute function report_notice_times_from_notice_row()`,
  `create trigger report_notice_times_target after insert or update of outcome_at, case_id, notice_id or delete
     on notice_targets for each row execute function report_notice_times_from_notice_row()`,
  `create trigger report_notice_times_pause after insert or update or delete on clock_pauses
     for each row execute function report_notice_times_from_notice_row()`,
  `create trigger report_notice_times_action_insert after insert on enforcement_actions
     for each row when (new.applied_at is not null) execute function report_notice_times_from_action()`,
  `create trigger report_notice_times_action_update after update of applied_at, type, case_id on enforcement_actions
     for each row execute function report_notice_times_from_action()`,
  backfillReportNoticeTimes,
  `create index report_notice_times_received on report_notice_times(received_at)`,
  `analyze report_notice_times`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop trigger report_notice_times_action_update on enforcement_actions`,
    `drop trigger report_notice_times_action_insert on enforcement_actions`,
    `drop trigger report_notice_times_pause on clock_pauses`,
    `drop trigger report_notice_times_target on notice_targets`,
    `drop trigger report_notice_times_receipt on notice_events`,
    `drop trigger report_notice_times_notice_update on notices`,
    `drop trigger report_notice_times_notice_insert on notices`,
    `drop function report_notice_times_from_action()`,
    `drop function report_notice_times_from_notice_row()`,
    `drop function report_notice_times_from_notice()`,
    `drop function report_refresh_notice_times(uuid)`,
    `drop table report_notice_times`,
  ]);
}
