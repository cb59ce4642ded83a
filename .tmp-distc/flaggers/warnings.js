import { appendAudit } from "../audit/log.js";
import { invalid } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { writeMessage } from "../notices/threads.js";
import { currentPolicy } from "../policy/policy-store.js";
import { transact } from "../store/transact.js";
import { findFlagger } from "./flagger-records.js";
export async function warnFlagger(db, actor, slug, input, now) {
    const noticeIds = [...new Set(input.notice_ids ?? [])];
    const policy = await currentPolicy(db);
    return transact(db, async (trx) => {
        const org = await findFlagger(trx, slug, { forUpdate: true });
        if (noticeIds.length > 0) {
            const own = await trx
                .selectFrom('notices')
                .select('id')
                .where('id', 'in', noticeIds)
                .where('org_id', '=', org.id)
                .execute();
            const found = new Set(own.map((n) => n.id));
            const missing = noticeIds.findIndex((id) => !found.has(id));
            if (missing >= 0) {
                throw invalid(`notice_ids[${missing}]: ${noticeIds[missing]} is not a notice of ${org.slug}`, [
                    { pointer: `/notice_ids/${missing}`, detail: 'not a notice of this organisation' },
                ]);
            }
        }
        const warning = {
            id: newId(),
            org_id: org.id,
            reason: input.reason,
            issued_by: actor.id,
            at: now,
            notice_ids: noticeIds,
        };
        await trx
            .insertInto('flagger_warnings')
            .values({ id: warning.id, org_id: org.id, reason: input.reason, issued_by: actor.id, at: now })
            .execute();
        // Audited before the threads are written: a decision holds the audit chain's lock when
        // it updates notices, so the chain's lock comes first here too.
        await appendAudit(trx, actor, {
            action: 'flagger.warned',
            objectType: 'organisation',
            objectId: org.id,
            change: { ...warning, slug: org.slug },
        }, now);
        const body = warningMessage(input.reason);
        for (const noticeId of noticeIds) {
            await writeMessage(trx, actor, noticeId, { kind: 'message', body }, policy.document.at_risk_thresholds, now);
        }
        return warning;
    });
}
function warningMessage(reason) {
    return [
        `Warning (DSA Art. 23(2)): ${reason}`,
        'If your organisation keeps sending manifestly unfounded notices, the platform may suspend the processing of its notices for a period.',
        'Peringatan: jika organisasi Anda terus mengirim pemberitahuan yang jelas tidak berdasar, pemrosesan pemberitahuan Anda dapat ditangguhkan untuk sementara waktu.',
    ].join('\n\n');
}
