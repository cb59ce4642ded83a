import { sql } from 'kysely';
import { restrictiveOutcomes } from '../cases/outcomes.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../store/db.ts';
import type { Subject } from './targets.ts';

/**
 * Notices about the same subject join one open case; a subject whose content was already
 * actioned (and not reinstated since) gets no new case, and the notifier is told so with
 * the decision's date.
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

export async function openCasesFor(trx: Db, subjects: Subject[], facts: CaseFacts, now: Date): Promise<TargetCase[]> {
  const keys = [...new Set(subjects.map((s) => s.key))].sort();
  const actioned = await latestRestrictiveDecisions(trx, keys);
  // Sorted keys: two notices naming the same subjects lock their cases in the same order.
  const toOpen = keys.filter((key) => !actioned.has(key));
  const bySubject = new Map<string, TargetCase>();
  for (const [key, decision] of actioned) {
    bySubject.set(key, { case_id: decision.case_id, status: 'already_actioned', already_actioned: decision });
  }
  if (toOpen.length > 0) {
    const subjectOf = new Map(subjects.map((s) => [s.key, s]));
    const rows = await trx
      .insertInto('cases')
      .values(
        toOpen.map((key) => ({
          id: newId(),
          subject_key: key,
          subject: JSON.stringify(subjectOf.get(key)),
          status: 'open',
          jurisdiction: facts.jurisdiction,
          category: facts.category,
          severity: facts.severity,
          trusted: facts.trusted,
          notice_count: 1,
          language: facts.language,
          due_at: facts.dueAt,
          legal_due_at: facts.legalDueAt,
          opened_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('subject_key')
          .where('status', '<>', 'closed')
          .doUpdateSet({
            notice_count: sql`cases.notice_count + 1`,
            due_at: sql`least(cases.due_at, excluded.due_at)`,
            legal_due_at: sql`least(cases.legal_due_at, excluded.legal_due_at)`,
            trusted: sql`cases.trusted or excluded.trusted`,
            // The case takes the most severe category any of its notices names.
            category: sql`case when excluded.severity > cases.severity then excluded.category else cases.category end`,
            severity: sql`greatest(cases.severity, excluded.severity)`,
          }),
      )
      .returning(['id', 'subject_key', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const row of rows) bySubject.set(row.subject_key, { case_id: row.id, status: row.inserted ? 'opened_case' : 'joined_case' });
  }
  return subjects.map((s) => bySubject.get(s.key)!);
}

async function latestRestrictiveDecisions(trx: Db, keys: string[]): Promise<Map<string, { case_id: string; outcome: string; decided_at: Date }>> {
  if (keys.length === 0) return new Map();
  const rows = await trx
    .selectFrom('cases')
    .select(['id', 'subject_key', 'outcome', 'decided_at'])
    .where('subject_key', 'in', keys)
    .where('status', '=', 'closed')
    .where('decided_at', 'is not', null)
    .orderBy('decided_at', 'desc')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.subject_key)) latest.set(row.subject_key, row);
  const result = new Map<string, { case_id: string; outcome: string; decided_at: Date }>();
  for (const [key, row] of latest) {
    if (row.outcome && (restrictiveOutcomes as readonly string[]).includes(row.outcome)) {
      result.set(key, { case_id: row.id, outcome: row.outcome, decided_at: row.decided_at! });
    }
  }
  return result;
}
