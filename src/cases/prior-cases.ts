import { sql } from 'kysely';
import { notFound } from '../core/errors.ts';
import type { Db } from '../store/db.ts';

/**
 * Prior cases on the same subject: what a reviewer needs to know before deciding (a channel
 * already warned, a message already removed once and reposted). "The same subject" is the
 * same target, or the same chat: a channel's case and the cases on its messages are
 * relatives, since the account that runs the channel is the same.
 */
export type PriorRelation = 'same_subject' | 'same_chat';

export interface SubjectRelatives {
  /** The exact keys of the chat itself (channel, bot or private chat). */
  chatKeys: string[];
  /** Key prefixes of the chat's messages, to match with LIKE (already escaped). */
  messagePrefixes: string[];
}

/** Escapes LIKE's wildcards: usernames have underscores, which LIKE reads as "any character". */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The chat a subject key belongs to, from the keys the target parser makes
 * (src/notices/targets.ts): telegram:username:NAME, telegram:message:NAME/ID[?comment=…],
 * telegram:private:ID and telegram:private:ID/MSG. Invites and web pages have no chat.
 */
export function relativesOf(subjectKey: string): SubjectRelatives {
  const m = /^telegram:(username|message|private):([^/?]+)/.exec(subjectKey);
  if (!m) return { chatKeys: [], messagePrefixes: [] };
  const [, kind, chat] = m as unknown as [string, string, string];
  if (kind === 'private') {
    return {
      chatKeys: [`telegram:private:${chat}`],
      messagePrefixes: [`${likeEscape(`telegram:private:${chat}/`)}%`],
    };
  }
  return {
    chatKeys: [`telegram:username:${chat}`],
    messagePrefixes: [`${likeEscape(`telegram:message:${chat}/`)}%`],
  };
}

export const PRIOR_LIMIT = 50;

/** The case's prior cases, newest first, each with its outcome and how it is related. */
export async function priorCases(db: Db, caseId: string) {
  const current = await db
    .selectFrom('cases')
    .select(['id', 'subject_key'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!current) throw notFound(`no case ${caseId}`);
  const { chatKeys, messagePrefixes } = relativesOf(current.subject_key);
  const keys = [current.subject_key, ...chatKeys];
  const rows = await db
    .selectFrom('cases')
    .select([
      'id',
      'subject_key',
      'subject',
      'status',
      'category',
      'jurisdiction',
      'outcome',
      'opened_at',
      'decided_at',
      'closed_at',
    ])
    .where('id', '<>', caseId)
    .where((eb) =>
      eb.or([
        eb('subject_key', 'in', keys),
        ...messagePrefixes.map((p) => eb(sql<string>`subject_key`, 'like', sql<string>`${p} escape '\\'`)),
      ]),
    )
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PRIOR_LIMIT)
    .execute();
  return rows.map((r) => {
    const subject = r.subject as { url?: unknown };
    return {
      case_id: r.id,
      relation: (r.subject_key === current.subject_key ? 'same_subject' : 'same_chat') as PriorRelation,
      subject_key: r.subject_key,
      subject_url: typeof subject.url === 'string' ? subject.url : null,
      status: r.status,
      category: r.category,
      jurisdiction: r.jurisdiction,
      outcome: r.outcome,
      opened_at: r.opened_at,
      decided_at: r.decided_at,
      closed_at: r.closed_at,
    };
  });
}
