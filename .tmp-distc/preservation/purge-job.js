import { workerActor } from "../identity/actor.js";
import { runPurge } from "./purge.js";
/** The purge runs hourly; a pass that purged something runs again at once (src/runtime/schedule.ts). */
export const PURGE_EVERY_MS = 3_600_000;
/** One scheduled pass: purges a batch of cases and says how many it purged. */
export async function purgePass(ctx) {
    const report = await runPurge(ctx.db, {
        now: ctx.clock(),
        preservationDays: ctx.config.TAPIS_PRESERVATION_DAYS,
        actor: workerActor,
    });
    if (report.cases.length > 0) {
        // Ids and counts only: never content (STYLE: log ids, not content).
        ctx.log.info({
            job: 'purge',
            cases: report.cases.map((c) => c.case_id),
            evidence: report.evidence,
            preserved_content: report.preserved_content,
            blobs_released: report.blobs_released,
        }, 'purged content past its preservation period');
    }
    return report.cases.length;
}
