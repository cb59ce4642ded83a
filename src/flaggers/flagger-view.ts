import type { Db } from '../store/db.ts';
import { listAlerts } from './alerts.ts';
import {
  type FlaggerOrganisation,
  findFlagger,
  listFlaggers,
  statusHistory,
  warningsOf,
} from './flagger-records.ts';
import { judgedTargets } from './judged-targets.ts';
import { type Figures, figuresOf, isBelowThreshold, type PrecisionSettings } from './precision.ts';
import { PRECISION_ALERT } from './precision-review.ts';
import type { FlaggerStatus } from './status.ts';

/**
 * What a lead or an auditor sees of the flaggers: status and designation (DSA Art.
 * 22(2)) with the precision figures (Art. 22(6)), computed afresh from the records.
 */
export interface FlaggerSummary {
  slug: string;
  name: string;
  kind: string;
  flagger_status: FlaggerStatus;
  status_since: Date | null;
  suspended_until: Date | null;
  designated_by: string | null;
  designated_categories: string[];
  designated_jurisdictions: string[];
  figures: Figures;
  below_threshold: boolean;
}

export async function flaggerSummaries(
  db: Db,
  settings: PrecisionSettings,
  now: Date,
): Promise<FlaggerSummary[]> {
  const flaggers = await listFlaggers(db);
  const rows = await judgedTargets(db, { orgIds: flaggers.map((f) => f.id) });
  return flaggers.map((org) =>
    summaryOf(
      org,
      figuresOf(
        rows.filter((r) => r.org_id === org.id),
        now,
      ),
      settings,
    ),
  );
}

export async function flaggerDetail(db: Db, slug: string, settings: PrecisionSettings, now: Date) {
  const org = await findFlagger(db, slug);
  const [rows, history, warnings, alerts] = await Promise.all([
    judgedTargets(db, { orgIds: [org.id] }),
    statusHistory(db, org.id),
    warningsOf(db, org.id),
    listAlerts(db, { state: 'all', kind: PRECISION_ALERT, org_id: org.id, limit: 20 }),
  ]);
  return {
    ...summaryOf(org, figuresOf(rows, now), settings),
    threshold: settings.threshold,
    min_decided: settings.minDecided,
    status_history: history.map(({ org_id: _org, ...change }) => change),
    warnings: warnings.map(({ org_id: _org, ...warning }) => warning),
    alerts,
  };
}

function summaryOf(org: FlaggerOrganisation, figures: Figures, settings: PrecisionSettings): FlaggerSummary {
  return {
    slug: org.slug,
    name: org.name,
    kind: org.kind,
    flagger_status: org.flagger_status,
    status_since: org.status_since === null ? null : new Date(org.status_since),
    suspended_until: org.suspended_until === null ? null : new Date(org.suspended_until),
    designated_by: org.designated_by,
    designated_categories: org.designated_categories,
    designated_jurisdictions: org.designated_jurisdictions,
    figures,
    below_threshold: isBelowThreshold(figures.last_90_days, settings),
  };
}
