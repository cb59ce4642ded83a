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

interface Opening {
  key: string;
  subject: Subject;
  facts: CaseFacts;
  notices: number;
}

/**
 * Finds or opens the case of every target of every notice in a batch, with one upsert.
 * Returns, per notice, per target, where it went. The first notice of the batch to name a
 * new subject opened its case; the others joined it.
 */
export async function openCases(trx: Db, notices: { subjects: Subject[]; facts: CaseFacts }[], now: Date): Promise<TargetCase[][]> {
  const allKeys = [...new Set(notices.flatMap((n) => n.subjects.map((s) => s.key)))];
  const actioned = await latestRestrictiveDecisions(trx, allKeys);

  // One row per subject: the earliest due time, the most severe category, trusted if any
  // notice is, and how many notices of the batch name it.
  const openings = new Map<string, Opening>();
  for (const notice of notices) {
    for (const subject of new Map(notice.subjects.map((s) => [s.key, s])).values()) {
      if (actioned.has(subject.key)) continue;
      const known = openings.get(subject.key);
      if (!known) {
        openings.set(subject.key, { key: subject.key, subject, facts: notice.facts, notices: 1 });
        continue;
      }
      known.notices += 1;
      const worse = notice.facts.severity > known.facts.severity;
      known.facts = {
        ...known.facts,
        category: worse ? notice.facts.category : known.facts.category,
        severity: Math.max(known.facts.severity, notice.facts.severity),
        trusted: known.facts.trusted || notice.facts.trusted,
        dueAt: notice.facts.dueAt < known.facts.dueAt ? notice.facts.dueAt : known.facts.dueAt,
        legalDueAt: notice.facts.legalDueAt < known.facts.legalDueAt ? notice.facts.legalDueAt : known.facts.legalDueAt,
      };
    }
  }

  const caseOf = new Map<string, { id: string; inserted: boolean }>();
  // Sorted keys: two transactions naming the same subjects lock their cases in the same order.
  const rows = [...openings.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  if (rows.length > 0) {
    const upserted = await trx
      .insertInto('cases')
      .values(
        rows.map((o) => ({
          id: newId(),
          subject_key: o.key,
          subject: JSON.stringify(o.subject),
          status: 'open',
          jurisdiction: o.facts.jurisdiction,
          category: o.facts.category,
          severity: o.facts.severity,
          trusted: o.facts.trusted,
          notice_count: o.notices,
          language: o.facts.language,
          due_at: o.facts.dueAt,
          legal_due_at: o.facts.legalDueAt,
          opened_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('subject_key')
          .where('status', '<>', 'closed')
          .doUpdateSet({
            notice_count: sql`cases.notice_count + excluded.notice_count`,
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
    for (const row of upserted) caseOf.set(row.subject_key, { id: row.id, inserted: row.inserted });
  }

  const openedBy = new Set<string>();
  return notices.map((notice) =>
    notice.subjects.map((subject): TargetCase => {
      const decision = actioned.get(subject.key);
      if (decision) return { case_id: decision.case_id, status: 'already_actioned', already_actioned: decision };
      const found = caseOf.get(subject.key)!;
      const first = found.inserted && !openedBy.has(subject.key);
      openedBy.add(subject.key);
      return { case_id: found.id, status: first ? 'opened_case' : 'joined_case' };
    }),
  );
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
