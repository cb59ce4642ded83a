import { sql } from 'kysely';
import { recordCaseEvent } from "../cases/case-events.js";
import { transact } from "../store/transact.js";
import { releaseBlobs } from "./blobs.js";
import { activeHoldCases, heldCaseSql } from "./legal-holds.js";
import { addDays, effectiveUntil, isPurgeable } from "./retention.js";
/** One pass of the purge job. */
export async function runPurge(db, options) {
    const candidates = await dueCases(db, options.now, options.preservationDays, options.batchSize ?? 50);
    const cases = [];
    for (const caseId of candidates)
        cases.push(...(await purgeCase(db, caseId, options)));
    return summarise(cases);
}
/** What a pass would purge now, without changing anything (`tapis purge --dry-run`). */
export async function planPurge(db, options) {
    const candidates = await dueCases(db, options.now, options.preservationDays, options.batchSize ?? 50);
    const cases = [];
    for (const caseId of candidates) {
        const plan = await planCase(db, caseId, options.now, options.preservationDays, false);
        if (plan)
            cases.push(...plan.purges.map((p) => ({ ...p, blobs_released: [] })));
    }
    return summarise(cases);
}
function summarise(cases) {
    const purged = cases.filter((c) => c.evidence.length + c.preserved_content.length > 0);
    const evidence = new Set(purged.flatMap((c) => c.evidence.map((e) => e.id)));
    return {
        cases: purged,
        evidence: evidence.size,
        preserved_content: purged.reduce((n, c) => n + c.preserved_content.length, 0),
        blobs_released: new Set(purged.flatMap((c) => c.blobs_released)).size,
    };
}
/**
 * Closed, unheld cases with something past its date: preserved content of the case, or
 * evidence of its notices whose every case is closed and unheld.
 */
async function dueCases(db, now, preservationDays, limit) {
    const closedBefore = addDays(now, -preservationDays);
    const { rows } = await sql `
    select case_id from (
      select pc.case_id from preserved_content pc join cases c on c.id = pc.case_id
       where pc.purged_at is null and pc.preserved_until <= ${now}
         and c.status = 'closed' and not ${heldCaseSql('c.id', now)}
      union
      select t.case_id from evidence e
        join notices n on n.id = e.notice_id
        join notice_targets t on t.notice_id = e.notice_id
       where e.purged_at is null and t.case_id is not null
         and (e.preserved_until <= ${now} or (e.preserved_until is null and n.closed_at <= ${closedBefore}))
         and not exists (
           select 1 from notice_targets t2 join cases c2 on c2.id = t2.case_id
            where t2.notice_id = e.notice_id and (c2.status <> 'closed' or ${heldCaseSql('c2.id', now)}))
    ) due
    order by case_id
    limit ${limit}`.execute(db);
    return rows.map((r) => r.case_id);
}
/**
 * What may go for one case, read under the locks when `lock` is set: the case's preserved
 * content past its date, and the evidence of its notices past its date whose every case is
 * closed, unheld and (when locking) locked by this transaction. The evidence is reported
 * under every case it belongs to.
 */
async function planCase(trx, caseId, now, days, lock) {
    const links = await trx
        .selectFrom('notice_targets as t1')
        .innerJoin('notice_targets as t2', 't2.notice_id', 't1.notice_id')
        .select(['t2.notice_id', 't2.case_id'])
        .where('t1.case_id', '=', caseId)
        .where('t2.case_id', 'is not', null)
        .execute();
    const ids = [...new Set([caseId, ...links.map((l) => l.case_id)])].sort();
    let casesQuery = trx.selectFrom('cases').selectAll().where('id', 'in', ids).orderBy('id');
    if (lock)
        casesQuery = casesQuery.forUpdate().skipLocked();
    const locked = await casesQuery.execute();
    const held = await activeHoldCases(trx, ids, now);
    const state = new Map(locked.map((c) => [c.id, { status: c.status, held: held.has(c.id) }]));
    const main = state.get(caseId);
    if (main?.status !== 'closed' || main.held)
        return null;
    // A case this transaction could not lock counts as busy: its evidence waits for a later pass.
    const casesOf = (noticeId) => links
        .filter((l) => l.notice_id === noticeId)
        .map((l) => state.get(l.case_id) ?? { status: 'busy', held: false });
    const content = await trx
        .selectFrom('preserved_content')
        .select(['id', 'sha256'])
        .where('case_id', '=', caseId)
        .where('purged_at', 'is', null)
        .where('preserved_until', '<=', now)
        .orderBy('created_at')
        .execute();
    const noticeIds = [...new Set(links.filter((l) => l.case_id === caseId).map((l) => l.notice_id))];
    const evidence = noticeIds.length
        ? await trx
            .selectFrom('evidence')
            .innerJoin('notices', 'notices.id', 'evidence.notice_id')
            .select([
            'evidence.id',
            'evidence.notice_id',
            'evidence.sha256',
            'evidence.preserved_until',
            'notices.closed_at',
        ])
            .where('evidence.notice_id', 'in', noticeIds)
            .where('evidence.purged_at', 'is', null)
            .orderBy('evidence.uploaded_at')
            .execute()
        : [];
    const dueEvidence = evidence.filter((e) => isPurgeable(effectiveUntil(e.preserved_until, e.closed_at, days), casesOf(e.notice_id), now));
    const purges = locked
        .filter((c) => state.get(c.id)?.status === 'closed' && !state.get(c.id)?.held)
        .map((c) => ({
        case_id: c.id,
        evidence: dueEvidence
            .filter((e) => links.some((l) => l.notice_id === e.notice_id && l.case_id === c.id))
            .map((e) => ({ id: e.id, sha256: e.sha256 })),
        preserved_content: c.id === caseId ? content : [],
    }))
        .filter((p) => p.evidence.length + p.preserved_content.length > 0);
    return { locked, purges };
}
/** Purges one case (and the evidence it shares with its linked cases) in one transaction. */
async function purgeCase(db, caseId, options) {
    const { now, preservationDays, actor } = options;
    return transact(db, async (trx) => {
        const plan = await planCase(trx, caseId, now, preservationDays, true);
        if (!plan || plan.purges.length === 0)
            return [];
        const contentIds = plan.purges.flatMap((p) => p.preserved_content.map((c) => c.id));
        const evidenceIds = [...new Set(plan.purges.flatMap((p) => p.evidence.map((e) => e.id)))];
        if (contentIds.length) {
            await trx
                .updateTable('preserved_content')
                .set({ purged_at: now })
                .where('id', 'in', contentIds)
                .execute();
        }
        if (evidenceIds.length) {
            // Undated evidence gets the date it was kept until, for the record.
            await trx
                .updateTable('evidence')
                .from('notices')
                .set({
                purged_at: now,
                preserved_until: sql `coalesce(evidence.preserved_until, notices.closed_at + ${preservationDays}::int * interval '1 day')`,
            })
                .whereRef('notices.id', '=', 'evidence.notice_id')
                .where('evidence.id', 'in', evidenceIds)
                .execute();
        }
        const shas = plan.purges.flatMap((p) => [
            ...p.evidence.map((e) => e.sha256),
            ...p.preserved_content.map((c) => c.sha256),
        ]);
        const released = await releaseBlobs(trx, shas.filter((s) => s !== null));
        const results = [];
        // Events last: they take the audit chain's lock, which is held until commit.
        for (const purge of plan.purges) {
            const current = plan.locked.find((c) => c.id === purge.case_id);
            const mine = new Set([
                ...purge.evidence.map((e) => e.sha256),
                ...purge.preserved_content.map((c) => c.sha256),
            ]);
            const result = { ...purge, blobs_released: released.filter((s) => mine.has(s)) };
            await recordCaseEvent(trx, current, actor, { type: 'purged', data: { ...result, rule: 'preservation period over, no legal hold (TCO Art. 6)' } }, now);
            results.push(result);
        }
        return results;
    });
}
