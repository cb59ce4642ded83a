import { sql } from 'kysely';
export async function judgedTargets(db, query) {
    if (query.orgIds.length === 0)
        return [];
    const decidedAt = sql `coalesce(decisions.created_at, notice_targets.outcome_at)`;
    let select = db
        .selectFrom('notice_targets')
        .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
        .leftJoin('cases', 'cases.id', 'notice_targets.case_id')
        .leftJoin('decisions', 'decisions.id', 'cases.decision_id')
        .select((eb) => [
        'notices.org_id',
        'notice_targets.notice_id',
        'notice_targets.idx as target_idx',
        'notices.received_at',
        'notices.category',
        'notices.reference',
        'notice_targets.raw as target',
        'notice_targets.outcome',
        decidedAt.as('decided_at'),
        'decisions.outcome as decision_outcome',
        'cases.outcome as case_outcome',
        'decisions.reverted_at',
        eb
            .selectFrom('appeals')
            .select(sql `coalesce(jsonb_agg(jsonb_build_object('appellant_type', appeals.appellant_type, 'outcome', appeals.outcome, 'decided_at', appeals.decided_at) order by appeals.decided_at), '[]'::jsonb)`.as('appeals'))
            .whereRef('appeals.decision_id', '=', 'decisions.id')
            .where('appeals.outcome', 'in', ['upheld', 'rejected'])
            .where('appeals.decided_at', 'is not', null)
            .as('appeals'),
    ])
        .where('notices.org_id', 'in', [...query.orgIds])
        .where('notices.kind', '=', 'notice');
    if (query.decidedSince) {
        select = select
            .where('notice_targets.outcome', 'is not', null)
            .where(decidedAt, '>=', query.decidedSince);
    }
    const rows = await select
        .orderBy('notices.received_at')
        .orderBy('notice_targets.notice_id')
        .orderBy('notice_targets.idx')
        .execute();
    return rows.map((row) => ({
        org_id: row.org_id,
        notice_id: row.notice_id,
        target_idx: row.target_idx,
        received_at: new Date(row.received_at),
        category: row.category,
        reference: row.reference,
        target: row.target,
        outcome: row.outcome,
        decided_at: row.decided_at === null ? null : new Date(row.decided_at),
        decision_outcome: row.decision_outcome,
        case_outcome: row.case_outcome,
        reverted_at: row.reverted_at === null ? null : new Date(row.reverted_at),
        appeals: (row.appeals ?? []).map(toAppealFact),
    }));
}
function toAppealFact(row) {
    return { appellant_type: row.appellant_type, outcome: row.outcome, decided_at: new Date(row.decided_at) };
}
