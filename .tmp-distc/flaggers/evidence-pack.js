import { stringify } from 'csv-stringify/sync';
import { appendAudit } from "../audit/log.js";
import { invalid } from "../core/errors.js";
import { transact } from "../store/transact.js";
import { findFlagger } from "./flagger-records.js";
import { judgedTargets } from "./judged-targets.js";
import { countedRows, figureOf, inPeriod, verdictOf, windowStart, } from "./precision.js";
/**
 * The evidence pack for the designating authority (DSA Art. 22(6): imprecise or
 * unsubstantiated notices are reported "together with the necessary explanations and
 * supporting documents"): the notices and decisions behind the figure for a period, and
 * the figure computed from exactly those rows. It names the items as the flagger named
 * them and nothing of the affected users (no account ids, no appellant, no statement),
 * and its export is audited.
 */
export const definition = 'precision = upheld / decided, per notice target, decided in the period. Upheld: removed, restricted in the jurisdiction, suspended or labelled, and not reversed on appeal; or a refusal overturned on the notifier’s appeal. Not upheld: no action, rejected as unsubstantiated, or a restriction reversed on the affected user’s appeal. Left out: impossible, already actioned, undecided. Orders are not notices and are left out.';
export const evidenceColumns = [
    'notice_id',
    'received_at',
    'category',
    'reference',
    'target_index',
    'target',
    'outcome',
    'decision_outcome',
    'decided_at',
    'appeal_outcome',
    'appeal_by',
    'appeal_decided_at',
    'reverted_at',
    'counted_as',
];
export async function evidencePack(db, actor, slug, query, settings, now) {
    const to = query.to ?? now;
    const from = query.from ?? windowStart(to);
    if (from.getTime() > to.getTime())
        throw invalid('from: the period starts after it ends', [
            { pointer: '/from', detail: 'must not be after to' },
        ]);
    return transact(db, async (trx) => {
        const org = await findFlagger(trx, slug);
        const judged = (await judgedTargets(trx, { orgIds: [org.id] })).filter((r) => inPeriod(r, from, to));
        const behind = countedRows(judged);
        const pack = {
            organisation: {
                slug: org.slug,
                name: org.name,
                kind: org.kind,
                flagger_status: org.flagger_status,
                status_since: org.status_since === null ? null : new Date(org.status_since),
                designated_by: org.designated_by,
                designated_categories: org.designated_categories,
                designated_jurisdictions: org.designated_jurisdictions,
            },
            period: { from, to },
            generated_at: now,
            definition,
            threshold: settings.threshold,
            figure: figureOf(judged),
            rows: behind.map(evidenceRow),
        };
        await appendAudit(trx, actor, {
            action: 'flagger.evidence_pack_exported',
            objectType: 'organisation',
            objectId: org.id,
            change: {
                slug: org.slug,
                format: query.format,
                from,
                to,
                rows: pack.rows.length,
                figure: pack.figure,
            },
        }, now);
        return pack;
    });
}
function evidenceRow(row) {
    const appeal = row.appeals[row.appeals.length - 1];
    return {
        notice_id: row.notice_id,
        received_at: row.received_at.toISOString(),
        category: row.category,
        reference: row.reference ?? '',
        target_index: row.target_idx,
        target: row.target,
        outcome: row.outcome ?? '',
        decision_outcome: row.decision_outcome ?? '',
        decided_at: row.decided_at?.toISOString() ?? '',
        appeal_outcome: appeal?.outcome ?? '',
        appeal_by: appeal?.appellant_type ?? '',
        appeal_decided_at: appeal?.decided_at.toISOString() ?? '',
        reverted_at: row.reverted_at?.toISOString() ?? '',
        counted_as: verdictOf(row) === 'upheld' ? 'upheld' : 'not_upheld',
    };
}
/** The rows as CSV. A cell that a spreadsheet would run as a formula is quoted with a leading apostrophe (OWASP CSV injection). */
export function evidenceCsv(pack) {
    return stringify(pack.rows, {
        header: true,
        columns: evidenceColumns,
        cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
    });
}
