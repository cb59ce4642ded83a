import { addDays } from "./retention.js";
/**
 * A restrictive decision dates what tapis holds of the case: the evidence of its notices
 * and the content deposited for it are kept until the decision plus the preservation
 * period (TCO Art. 6(1): six months from the removal). Call it in the transaction that
 * makes the decision take effect (src/decisions/finalise.ts). A date is only ever pushed
 * later, never earlier: evidence shared with another case keeps the later of the two.
 */
export async function preserveForDecision(trx, caseId, decidedAt, preservationDays) {
    const until = addDays(decidedAt, preservationDays);
    const evidence = await trx
        .updateTable('evidence')
        .set({ preserved_until: until })
        .where('purged_at', 'is', null)
        .where('notice_id', 'in', (eb) => eb.selectFrom('notice_targets').select('notice_id').where('case_id', '=', caseId))
        .where((eb) => eb.or([eb('preserved_until', 'is', null), eb('preserved_until', '<', until)]))
        .executeTakeFirst();
    const content = await trx
        .updateTable('preserved_content')
        .set({ preserved_until: until })
        .where('case_id', '=', caseId)
        .where('purged_at', 'is', null)
        .where('preserved_until', '<', until)
        .executeTakeFirst();
    return {
        until,
        evidence: Number(evidence.numUpdatedRows),
        preserved_content: Number(content.numUpdatedRows),
    };
}
