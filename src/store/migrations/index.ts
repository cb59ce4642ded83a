import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0100 from './0100_notices.ts';
import * as m0110 from './0110_bulk_job_errors.ts';
import * as m0200 from './0200_review_desk.ts';
import * as m0400 from './0400_flaggers.ts';
import * as m0500 from './0500_screening.ts';
import * as m0600 from './0600_preservation.ts';
import * as m0700 from './0700_outbox_lanes.ts';
import * as m0710 from './0710_roles_by_org_kind.ts';
import * as m0750 from './0750_demo_platform.ts';
import * as m0800 from './0800_stream.ts';
import * as m0900 from './0900_transparency.ts';
import * as m0950 from './0950_telegram_intake.ts';
import * as m1000 from './1000_audit_checkpoints.ts';
import * as m1020 from './1020_sealed_secrets.ts';
import * as m1100 from './1100_government_channel.ts';
import * as m1150 from './1150_safeguards.ts';
import * as m1200 from './1200_report_notice_times.ts';
import * as m1210 from './1210_tdb_submissions_listing.ts';
import * as m1220 from './1220_bank_change_notify.ts';
import * as m1250 from './1250_rulebook_gaps.ts';
import * as m1260 from './1260_report_order_kind.ts';
import * as m1270 from './1270_report_times_constant_cost.ts';
import * as m1280 from './1280_precision_review_due.ts';
import * as m1290 from './1290_content_index_lighter.ts';

/**
 * Every migration, in order. A migration is never edited once it has shipped: a change
 * is a new migration. Numbers are spaced by capability so that parallel work does not
 * collide: 0001–0099 foundation, 0100 notices, 0200 cases, 0300 enforcement,
 * 0400 flaggers and appeals, 0500 screening, 0600 stream, 0700 reports.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0100_notices': m0100,
  '0110_bulk_job_errors': m0110,
  '0200_review_desk': m0200,
  '0400_flaggers': m0400,
  '0500_screening': m0500,
  '0600_preservation': m0600,
  '0750_demo_platform': m0750,
  '0950_telegram_intake': m0950,
  '0800_stream': m0800,
  '0900_transparency': m0900,
  '0700_outbox_lanes': m0700,
  '0710_roles_by_org_kind': m0710,
  '1020_sealed_secrets': m1020,
  '1200_report_notice_times': m1200,
  '1210_tdb_submissions_listing': m1210,
  '1220_bank_change_notify': m1220,
  '1000_audit_checkpoints': m1000,
  '1250_rulebook_gaps': m1250,
  '1100_government_channel': m1100,
  '1150_safeguards': m1150,
  '1260_report_order_kind': m1260,
  '1270_report_times_constant_cost': m1270,
  '1280_precision_review_due': m1280,
  '1290_content_index_lighter': m1290,
};
