import type { Db } from '../../store/db.ts';
import type { Period } from '../period.ts';
import { buildReport, type TransparencyReport } from '../report/report.ts';

/**
 * The public page's report, kept for a few minutes: the page is public, and a report over a
 * year of notices is seconds of database work that an anonymous caller must not be able to
 * ask for at will.
 */
const KEEP_MS = 5 * 60_000;
const kept = new Map<string, { at: number; report: Promise<TransparencyReport> }>();

export function publicReport(db: Db, period: Period, now: Date): Promise<TransparencyReport> {
  const key = `${period.from}/${period.to}`;
  const hit = kept.get(key);
  if (hit && Math.abs(now.getTime() - hit.at) < KEEP_MS) return hit.report;
  if (kept.size > 100) kept.clear();
  const report = buildReport(db, period, now);
  kept.set(key, { at: now.getTime(), report });
  report.catch(() => kept.delete(key));
  return report;
}
