import { listAlerts } from "./alerts.js";
import { findFlagger, listFlaggers, statusHistory, warningsOf, } from "./flagger-records.js";
import { judgedTargets } from "./judged-targets.js";
import { figuresOf, isBelowThreshold } from "./precision.js";
import { PRECISION_ALERT } from "./precision-review.js";
export async function flaggerSummaries(db, settings, now) {
    const flaggers = await listFlaggers(db);
    const rows = await judgedTargets(db, { orgIds: flaggers.map((f) => f.id) });
    return flaggers.map((org) => summaryOf(org, figuresOf(rows.filter((r) => r.org_id === org.id), now), settings));
}
export async function flaggerDetail(db, slug, settings, now) {
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
function summaryOf(org, figures, settings) {
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
