import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { transact } from '../../store/transact.ts';
import type { Period } from '../period.ts';
import { OUT_OF_COURT, outOfCourtDisputes, outOfCourtTitle } from './out-of-court-section.ts';
import * as q from './queries.ts';

/**
 * The transparency report (DSA Arts. 15 and 24, TCO Art. 7) for a period: a list of
 * tables, each computed by one SQL aggregation (./queries.ts; out-of-court disputes, DSA
 * Art. 24(1)(a), in ./out-of-court-section.ts). The same tables make the JSON, the CSV files
 * (one per table) and the public page.
 */
export interface ReportTable {
  name: string;
  title: { en: string; id: string };
  rows: q.Row[];
}

export interface TransparencyReport {
  period: { from: string; to: string };
  generated_at: string;
  tables: ReportTable[];
}

const titles: Record<string, { en: string; id: string }> = {
  notices_by_source: { en: 'Notices by source', id: 'Laporan menurut sumber' },
  notices_by_category: { en: 'Notices by category', id: 'Laporan menurut kategori' },
  notices_by_jurisdiction: { en: 'Notices by jurisdiction', id: 'Laporan menurut yurisdiksi' },
  orders_by_authority: {
    en: 'Orders by kind, issuing authority and member state',
    id: 'Perintah menurut jenis, otoritas penerbit dan negara',
  },
  actions_by_outcome_and_ground: {
    en: 'Decisions by outcome and ground',
    id: 'Keputusan menurut hasil dan dasar',
  },
  actions_by_automation: { en: 'Decisions by automation', id: 'Keputusan menurut otomatisasi' },
  timing: { en: 'Time to acknowledge, decide and act', id: 'Waktu untuk menerima, memutus dan bertindak' },
  deadlines: { en: 'Deadlines', id: 'Tenggat waktu' },
  clarifications_impossibilities_objections: {
    en: 'Clarifications, impossibilities and objections',
    id: 'Klarifikasi, ketidakmungkinan dan sanggahan',
  },
  appeals: { en: 'Appeals and complaints', id: 'Banding dan keberatan' },
  suspensions: { en: 'Suspensions (DSA Art. 23)', id: 'Penangguhan (DSA Pasal 23)' },
  automated_detection: { en: 'Automated detection and its accuracy', id: 'Deteksi otomatis dan akurasinya' },
  trusted_flaggers: { en: 'Trusted flaggers', id: 'Pelapor tepercaya' },
  [OUT_OF_COURT]: outOfCourtTitle,
};

export async function buildReport(db: Db, period: Period, now: Date): Promise<TransparencyReport> {
  const asOf = now < period.end ? now : period.end;
  // One read-only transaction: every table sees the same snapshot. The planner's row
  // estimates for the per-notice joins run high, and PostgreSQL would then spend seconds
  // JIT-compiling a query that runs in a fraction of that: JIT is off for the report.
  const tables = await transact(db, async (trx) => {
    await sql`set local jit = off`.execute(trx);
    // Aggregations over whole periods: hash joins, never a nested loop on a misestimate.
    await sql`set local enable_nestloop = off`.execute(trx);
    // The percentiles sort a year of per-notice times: in memory, not in temporary files.
    await sql`set local work_mem = '64MB'`.execute(trx);
    const counts = await q.noticeCounts(trx, period);
    const out: [string, q.Row[]][] = [
      ['notices_by_source', counts.bySource],
      ['notices_by_category', counts.byCategory],
      ['notices_by_jurisdiction', counts.byJurisdiction],
      ['orders_by_authority', await q.ordersByAuthority(trx, period)],
      ['actions_by_outcome_and_ground', await q.actionsByOutcomeAndGround(trx, period)],
      ['actions_by_automation', await q.actionsByAutomation(trx, period)],
      ['timing', await q.timing(trx, period)],
      ['deadlines', await q.deadlines(trx, period, asOf)],
      ['clarifications_impossibilities_objections', await q.threadOutcomes(trx, period)],
      ['appeals', await q.appeals(trx, period)],
      ['suspensions', await q.suspensions(trx, period)],
      ['automated_detection', await q.automation(trx, period)],
      ['trusted_flaggers', await q.perTrustedFlagger(trx, period)],
      [OUT_OF_COURT, await outOfCourtDisputes(trx, period)],
    ];
    return out;
  });
  return {
    period: { from: period.from, to: period.to },
    generated_at: now.toISOString(),
    tables: tables.map(([name, rows]) => ({ name, title: titles[name]!, rows })),
  };
}

/** The report as JSON: each table by name. */
export function reportJson(report: TransparencyReport) {
  return {
    period: report.period,
    generated_at: report.generated_at,
    tables: Object.fromEntries(report.tables.map((t) => [t.name, t.rows])),
  };
}
