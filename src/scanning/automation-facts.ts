import type { Db } from '../store/db.ts';

/**
 * The automation facts of a decision, for its statement of reasons (DSA Art. 17(3)(c)):
 * whether the content was found by automated means, whether the decision was taken fully
 * by them or by a person confirming what they found ('partially'), and the bank and
 * distance of the match it rests on. Read from the decision row; a person's decision on a
 * case that automated detection opened is recorded as partially automated here, with the
 * case's closest match.
 */
export interface AutomationFacts {
  detection: boolean;
  decision: 'fully' | 'partially' | null;
  match: { bank: string; bank_id: string; distance: number; signal_type: string | null } | null;
}

export async function automationOfDecision(
  trx: Db,
  decisionId: string,
  caseId: string,
): Promise<AutomationFacts> {
  const row = await trx
    .selectFrom('decisions')
    .leftJoin('banks', 'banks.id', 'decisions.bank_id')
    .select([
      'decisions.automated_detection',
      'decisions.automation',
      'decisions.bank_id',
      'decisions.match_distance',
      'banks.name as bank_name',
    ])
    .where('decisions.id', '=', decisionId)
    .executeTakeFirst();
  const closest = await trx
    .selectFrom('detections')
    .leftJoin('banks', 'banks.id', 'detections.bank_id')
    .select(['detections.bank_id', 'detections.distance', 'detections.signal_type', 'banks.name'])
    .where('detections.case_id', '=', caseId)
    // Bank matches before lexicon verdicts, the closest first.
    .orderBy('detections.kind')
    .orderBy('detections.distance')
    .limit(1)
    .executeTakeFirst();
  const detection = Boolean(row?.automated_detection) || closest !== undefined;
  if (!row || !detection) return { detection: false, decision: null, match: null };
  const decision = (row.automation as AutomationFacts['decision']) ?? 'partially';
  const bankId = row.bank_id ?? closest?.bank_id ?? null;
  const distance = row.match_distance ?? closest?.distance ?? null;
  if (row.automation === null) {
    await trx
      .updateTable('decisions')
      .set({ automated_detection: true, automation: 'partially', bank_id: bankId, match_distance: distance })
      .where('id', '=', decisionId)
      .execute();
  }
  const bankName = row.bank_name ?? closest?.name ?? null;
  return {
    detection: true,
    decision,
    match:
      bankId && bankName && distance !== null
        ? { bank: bankName, bank_id: bankId, distance, signal_type: closest?.signal_type ?? null }
        : null,
  };
}
