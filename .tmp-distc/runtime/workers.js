import { applyHandler, revertHandler } from "../enforcement/action-handler.js";
import { APPLY_TOPIC, REVERT_TOPIC } from "../enforcement/jobs.js";
import { precisionSettings, reviewAllFlaggers } from "../flaggers/precision-review.js";
import { liftEndedSuspensions } from "../flaggers/suspensions.js";
import { BULK_TOPIC } from "../notices/bulk.js";
import { bulkJobHandler } from "../notices/bulk-processing.js";
import { announceClockMarks } from "../notices/clock-job.js";
import { WEBHOOK_TOPIC } from "../notices/events.js";
import { webhookDeliveryHandler } from "../notices/webhook-delivery.js";
import { OutboxWorker } from "../outbox/worker.js";
import { PURGE_EVERY_MS, purgePass } from "../preservation/purge-job.js";
import { ScheduledJob } from "./schedule.js";
export function outboxHandlers(ctx) {
    return {
        [BULK_TOPIC]: bulkJobHandler(ctx),
        [WEBHOOK_TOPIC]: webhookDeliveryHandler({
            db: ctx.db,
            clock: ctx.clock,
            allowPrivateNetworks: ctx.config.TAPIS_ALLOW_PRIVATE_NETWORKS,
        }),
        [APPLY_TOPIC]: applyHandler(ctx),
        [REVERT_TOPIC]: revertHandler(ctx),
    };
}
export function scheduledJobs(ctx) {
    const log = ctx.log.child({ worker: 'scheduler' });
    return [
        new ScheduledJob('clock marks', 5_000, () => announceClockMarks(ctx.db, ctx.clock()), log),
        new ScheduledJob('flagger precision', 3_600_000, () => reviewAllFlaggers(ctx.db, precisionSettings(ctx.config), ctx.clock()), log),
        new ScheduledJob('flagger suspensions', 60_000, () => liftEndedSuspensions(ctx.db, ctx.clock()), log),
        new ScheduledJob('preservation purge', PURGE_EVERY_MS, () => purgePass(ctx), log),
    ];
}
export function startWorkers(ctx) {
    const outbox = new OutboxWorker({
        db: ctx.db,
        clock: ctx.clock,
        log: ctx.log.child({ worker: 'outbox' }),
        handlers: outboxHandlers(ctx),
    });
    const jobs = scheduledJobs(ctx);
    outbox.start();
    for (const job of jobs)
        job.start();
    return {
        outbox,
        stop: async () => {
            await Promise.all([outbox.stop(), ...jobs.map((job) => job.stop())]);
        },
    };
}
