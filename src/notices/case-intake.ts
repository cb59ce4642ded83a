import { type Expression, sql } from 'kysely';
import { restrictiveOutcomes } from '../cases/outcomes.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import type { Subject } from './targets.ts';

/**
 * Notices about the same subject join one open case; a subject whose content was already
 * actioned (and not reinstated since) gets no new case, and the notifier is told so with
 * the decision's date.
 *
 * The intake's commit (src/notices/intake-commit.ts) composes these pieces into the one
 * statement that writes a batch's notices and their targets: the decisions are read, and
 * the cases upserted, in it.
 */
export interface TargetCase {
  case_id: string | null;
  status: 'opened_case' | 'joined_case' | 'already_actioned';
  already_actioned?: { case_id: string; outcome: string; decided_at: Date };
}

export interface CaseFacts {
  jurisdiction: string;
  category: string;
  severity: number;
  trusted: boolean;
  language: string;
  dueAt: Date;
  legalDueAt: Date;
}

export interface NoticeSubjects {
  subjects: Subject[];
  facts: CaseFacts;
}

export type Decision = { case_id: string; outcome: string; decided_at: Date };

/**
 * The subjects among `keys` whose latest decision restricted them (see restrictiveOutcomes),
 * with that decision: a query the commit runs inside its write (src/notices/intake-commit.ts).
 * The keys travel as one JSON parameter.
 */
export function actionedCases(trx: Db, keys: string[]) {
  const latest = trx
    .selectFrom('cases')
    .distinctOn('subject_key')
    .select(['id', 'subject_key', 'outcome', 'decided_at'])
    // = any(array(…)) rather than in (select …): the planner then looks the keys up in
    // cases_subject instead of scanning every closed case.
    .where(
      'subject_key',
      '=',
      sql<string>`any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`,
    )
    .where('status', '=', 'closed')
    .where('decided_at', 'is not', null)
    .orderBy('subject_key')
    .orderBy('decided_at', 'desc');
  return trx
    .selectFrom(latest.as('latest'))
    .select(['id', 'subject_key', 'outcome', 'decided_at'])
    .where('outcome', 'in', [...restrictiveOutcomes]);
}

const earlier = (a: Date, b: Date) => (b < a ? b : a);

interface Opening {
  key: string;
  subject: Subject;
  facts: CaseFacts;
  notices: number;
}

/**
 * One case row per subject: the earliest due time, the most severe category, trusted if any
 * notice is, and how many notices of the batch name it. Sorted by key, so that two
 * transactions naming the same subjects lock their cases in the same order.
 */
function openings(notices: NoticeSubjects[]): Opening[] {
  const byKey = new Map<string, Opening>();
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
export function upsertCases(trx: Db, notices: NoticeSubjects[], now: Date, actioned: Expression<string>) {
  const input = JSON.stringify(
    openings(notices).map((o) => ({
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
    })),
  );
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
    .expression(
      sql`select id, subject_key, subject, 'open', jurisdiction, category, severity, trusted, notice_count, language,
        due_at, legal_due_at, ${now}::timestamptz
      from jsonb_to_recordset(${input}::jsonb) as o(id uuid, subject_key text, subject jsonb, jurisdiction text,
        category text, severity integer, trusted boolean, notice_count integer, language text,
        due_at timestamptz, legal_due_at timestamptz)
      where subject_key not in ${actioned}`,
    )
    .onConflict((oc) =>
      oc.column('subject_key').where('status', '<>', 'closed').doUpdateSet({
        notice_count: sql`cases.notice_count + excluded.notice_count`,
        due_at: sql`least(cases.due_at, excluded.due_at)`,
        legal_due_at: sql`least(cases.legal_due_at, excluded.legal_due_at)`,
        trusted: sql`cases.trusted or excluded.trusted`,
        // The case takes the most severe category any of its notices names.
        category: sql`case when excluded.severity > cases.severity then excluded.category else cases.category end`,
        severity: sql`greatest(cases.severity, excluded.severity)`,
      }),
    )
    .returning(['id', 'subject_key', 'status', sql<boolean>`(xmax = 0)`.as('inserted')]);
}

/**
 * Where each target of each notice went, given the decisions and what the upsert returned.
 * The first notice of the batch to name a new subject opened its case; the others joined it.
 */
export function assignCases(
  notices: NoticeSubjects[],
  actioned: Map<string, Decision>,
  upserted: { id: string; subject_key: string; inserted: boolean }[],
): TargetCase[][] {
  const caseOf = new Map(upserted.map((row) => [row.subject_key, row]));
  const openedBy = new Set<string>();
  return notices.map((notice) =>
    notice.subjects.map((subject): TargetCase => {
      const decision = actioned.get(subject.key);
      if (decision)
        return { case_id: decision.case_id, status: 'already_actioned', already_actioned: decision };
      const found = caseOf.get(subject.key)!;
      const first = found.inserted && !openedBy.has(subject.key);
      openedBy.add(subject.key);
      return { case_id: found.id, status: first ? 'opened_case' : 'joined_case' };
    }),
  );
}
