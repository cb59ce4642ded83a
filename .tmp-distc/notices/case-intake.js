import { sql } from 'kysely';
import { restrictiveOutcomes } from "../cases/outcomes.js";
import { newId } from "../core/ids.js";
/**
 * The subjects among `keys` whose latest decision restricted them (see restrictiveOutcomes),
 * with that decision: a query the commit runs inside its write (src/notices/intake-commit.ts).
 * The keys travel as one JSON parameter.
 */
export function actionedCases(trx, keys) {
    const latest = trx
        .selectFrom('cases')
        .distinctOn('subject_key')
        .select(['id', 'subject_key', 'outcome', 'decided_at'])
        // = any(array(…)) rather than in (select …): the planner then looks the keys up in
        // cases_subject instead of scanning every closed case.
        .where('subject_key', '=', sql `any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`)
        .where('status', '=', 'closed')
        .where('decided_at', 'is not', null)
        .orderBy('subject_key')
        .orderBy('decided_at', 'desc');
    return trx
        .selectFrom(latest.as('latest'))
        .select(['id', 'subject_key', 'outcome', 'decided_at'])
        .where('outcome', 'in', [...restrictiveOutcomes]);
}
const earlier = (a, b) => (b < a ? b : a);
/**
 * One case row per subject: the earliest due time, the most severe category, trusted if any
 * notice is, and how many notices of the batch name it. Sorted by key, so that two
 * transactions naming the same subjects lock their cases in the same order.
 */
function openings(notices) {
    const byKey = new Map();
    for (const notice of notices) {
        for (const subject of new Map(notice.subjects.map((s) => [s.key, s])).values()) {
            const known = byKey.get(subject.key);
            if (!known) {
                byKey.set(subject.key, { key: subject.key, subject, facts: notice.facts, notices: 1 });
                continue;
            }
            known.notices += 1;
            const worse = notice.facts.severity > known.facts.severity;
            known.facts = {
                ...known.facts,
                category: worse ? notice.facts.category : known.facts.category,
                severity: Math.max(known.facts.severity, notice.facts.severity),
                trusted: known.facts.trusted || notice.facts.trusted,
                dueAt: earlier(notice.facts.dueAt, known.facts.dueAt),
                legalDueAt: earlier(notice.facts.legalDueAt, known.facts.legalDueAt),
            };
        }
    }
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
/**
 * The upsert that finds or opens the case of every subject in a batch, except the subjects
 * `actioned` lists (a query of subject keys: those get no case), returning each case's id
 * and whether this statement opened it. Not executed: the commit runs it as part of a larger
 * statement. The rows travel as one JSON parameter, so a batch of any size is one short
 * statement.
 */
export function upsertCases(trx, notices, now, actioned) {
    const input = JSON.stringify(openings(notices).map((o) => ({
        id: newId(),
        subject_key: o.key,
        subject: o.subject,
        jurisdiction: o.facts.jurisdiction,
        category: o.facts.category,
        severity: o.facts.severity,
        trusted: o.facts.trusted,
        notice_count: o.notices,
        language: o.facts.language,
        due_at: o.facts.dueAt,
        legal_due_at: o.facts.legalDueAt,
    })));
    return trx
        .insertInto('cases')
        .columns([
        'id',
        'subject_key',
        'subject',
        'status',
        'jurisdiction',
        'category',
        'severity',
        'trusted',
        'notice_count',
        'language',
        'due_at',
        'legal_due_at',
        'opened_at',
    ])
        .expression(sql `select id, subject_key, subject, 'open', jurisdiction, category, severity, trusted, notice_count, language,
        due_at, legal_due_at, ${now}::timestamptz
      from jsonb_to_recordset(${input}::jsonb) as o(id uuid, subject_key text, subject jsonb, jurisdiction text,
        category text, severity integer, trusted boolean, notice_count integer, language text,
        due_at timestamptz, legal_due_at timestamptz)
      where subject_key not in ${actioned}`)
        .onConflict((oc) => oc.column('subject_key').where('status', '<>', 'closed').doUpdateSet({
        notice_count: sql `cases.notice_count + excluded.notice_count`,
        due_at: sql `least(cases.due_at, excluded.due_at)`,
        legal_due_at: sql `least(cases.legal_due_at, excluded.legal_due_at)`,
        trusted: sql `cases.trusted or excluded.trusted`,
        // The case takes the most severe category any of its notices names.
        category: sql `case when excluded.severity > cases.severity then excluded.category else cases.category end`,
        severity: sql `greatest(cases.severity, excluded.severity)`,
    }))
        .returning(['id', 'subject_key', 'status', sql `(xmax = 0)`.as('inserted')]);
}
/**
 * Where each target of each notice went, given the decisions and what the upsert returned.
 * The first notice of the batch to name a new subject opened its case; the others joined it.
 */
export function assignCases(notices, actioned, upserted) {
    const caseOf = new Map(upserted.map((row) => [row.subject_key, row]));
    const openedBy = new Set();
    return notices.map((notice) => notice.subjects.map((subject) => {
        const decision = actioned.get(subject.key);
        if (decision)
            return { case_id: decision.case_id, status: 'already_actioned', already_actioned: decision };
        const found = caseOf.get(subject.key);
        const first = found.inserted && !openedBy.has(subject.key);
        openedBy.add(subject.key);
        return { case_id: found.id, status: first ? 'opened_case' : 'joined_case' };
    }));
}
