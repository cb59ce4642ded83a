import { newId } from '../../src/core/ids.ts';
import { buildStatement, type StatementFacts } from '../../src/decisions/statement.ts';
import type { Db } from '../../src/store/db.ts';

/**
 * A decided case with its statement of reasons, written straight to the database: for
 * tests of what is done with statements (export, submission), not of how decisions are made.
 */
export async function insertStatement(
  db: Db,
  options: { at: Date; facts?: Partial<StatementFacts>; content?: Record<string, unknown> },
): Promise<{ statementId: string; decisionId: string; caseId: string }> {
  const caseId = newId();
  const decisionId = newId();
  const statementId = newId();
  await db
    .insertInto('cases')
    .values({
      id: caseId,
      subject_key: `telegram:message:statements/${caseId}`,
      subject: JSON.stringify({ kind: 'message', url: `https://t.me/statements/${caseId}` }),
      status: 'closed',
      jurisdiction: 'ID',
      category: 'terrorism',
      severity: 5,
      trusted: true,
      notice_count: 1,
      language: 'id',
      opened_at: options.at,
      closed_at: options.at,
      decided_at: options.at,
      outcome: 'removed',
    })
    .execute();
  await db
    .insertInto('decisions')
    .values({
      id: decisionId,
      case_id: caseId,
      decided_by: newId(),
      outcome: 'remove',
      grounds: JSON.stringify({}),
      territories: [],
      suspension: JSON.stringify(null),
      label: null,
      actions: JSON.stringify([]),
      irreversible: false,
      irreversible_acknowledged: false,
      automated_detection: false,
      automated_decision: false,
      language: 'id',
      template_id: null,
      status: 'final',
      needs_approval: null,
      created_at: options.at,
    })
    .execute();
  const content =
    options.content ??
    buildStatement({
      puid: decisionId,
      outcome: 'remove',
      grounds: { illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Synthetic: propaganda.' } },
      category: 'terrorism',
      territories: ['*'],
      suspension: null,
      actions: [],
      sourceTypes: ['trusted_flagger'],
      sourceIdentity: 'Synthetic ministry',
      facts: 'Synthetic facts.',
      contentType: ['CONTENT_TYPE_TEXT'],
      contentDate: options.at,
      language: 'id',
      decidedAt: options.at,
      appealUntil: new Date(options.at.getTime() + 183 * 86_400_000),
      appealUrl: 'https://tapis.example/v1/statements/x/appeal',
      ...options.facts,
    });
  await db
    .insertInto('statements')
    .values({
      id: statementId,
      decision_id: decisionId,
      case_id: caseId,
      token_hash: `hash-${statementId}`,
      puid: String(content.puid ?? decisionId),
      content: JSON.stringify(content),
      appeal_until: new Date(options.at.getTime() + 183 * 86_400_000),
      created_at: options.at,
    })
    .execute();
  return { statementId, decisionId, caseId };
}
