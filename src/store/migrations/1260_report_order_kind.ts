import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The transparency report counts orders by their kind (DSA Art. 15(1)(a): "the number of
 * orders ... categorised by the type of illegal content concerned" and by the type of order;
 * TCO Art. 7(3)(b) removal orders apart). report_notice_times gains the notice's order_kind.
 *
 * A notice's kind of order is fixed at intake, so instead of a new version of migration 1200's
 * refresh function, a row trigger on report_notice_times copies it from the notice on every
 * insert or update: the refresh, the backfill and any later change of the refresh all keep it.
 */
const statements = [
  `alter table report_notice_times add column order_kind text`,
  `create or replace function report_notice_times_order_kind() returns trigger language plpgsql as $fn$
   begin
     select n.order_kind into new.order_kind from notices n where n.id = new.notice_id;
     return new;
   end $fn$`,
  `create trigger report_notice_times_order_kind before insert or update on report_notice_times
     for each row execute function report_notice_times_order_kind()`,
  `update report_notice_times r set order_kind = n.order_kind from notices n
     where n.id = r.notice_id and n.order_kind is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop trigger report_notice_times_order_kind on report_notice_times`,
    `drop function report_notice_times_order_kind()`,
    `alter table report_notice_times drop column order_kind`,
  ]);
}
