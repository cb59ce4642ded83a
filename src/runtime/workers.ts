import { announceDataRequestClock } from '../data-requests/requests.ts';
import { announceDeadlineMarks } from '../deadlines/deadline-job.ts';
import { applyHandler, revertHandler } from '../enforcement/action-handler.ts';
import { APPLY_TOPIC, REVERT_TOPIC } from '../enforcement/jobs.ts';
import { AUTHORITY_REPORT_TOPIC, authorityReportHandler } from '../flaggers/authority-reports.ts';
import {
  DUE_PASS_MS,
  precisionSettings,
  reviewAllFlaggers,
  reviewDueFlaggers,
} from '../flaggers/precision-review.ts';
import { liftEndedSuspensions } from '../flaggers/suspensions.ts';
import { BULK_TOPIC } from '../notices/bulk.ts';
import { bulkJobHandler } from '../notices/bulk-processing.ts';
import { announceClockMarks } from '../notices/clock-job.ts';
import { WEBHOOK_TOPIC } from '../notices/events.ts';
import { webhookDeliveryHandler } from '../notices/webhook-delivery.ts';
import { lanes } from '../outbox/lanes.ts';
import { OutboxWorker, type TopicHandler } from '../outbox/worker.ts';
import { PURGE_EVERY_MS, purgePass } from '../preservation/purge-job.ts';
import { purgeExpiredContentHashes } from '../scanning/retention.ts';
import { sweepNewEntries } from '../scanning/sweep.ts';
import { startContentConsumer } from '../stream/nats/consumer.ts';
import { CONTENT_TOPIC, contentScanHandler } from '../stream/queue.ts';
import {
  startTelegramIntake,
  telegramIntakeHandlers,
  telegramIntakeJobs,
} from '../telegram-intake/service.ts';
import { transparencyHandlers, transparencyJobs } from '../transparency/workers.ts';
import type { AppContext } from './context.ts';
import { ScheduledJob } from './schedule.ts';

/**
 * The background work of a tapis process: outbox delivery and scheduled jobs. Each
 * capability contributes its outbox topics and its jobs here.
 */
export interface Workers {
  /** One outbox worker per lane (src/outbox/lanes.ts), enforcement first. */
  outbox: OutboxWorker[];
  stop(): Promise<void>;
}

export function outboxHandlers(ctx: AppContext): Record<string, TopicHandler> {
  return {
    [BULK_TOPIC]: bulkJobHandler(ctx),
    [WEBHOOK_TOPIC]: webhookDeliveryHandler({
      db: ctx.db,
      clock: ctx.clock,
      allowPrivateNetworks: ctx.config.TAPIS_ALLOW_PRIVATE_NETWORKS,
    }),
    [APPLY_TOPIC]: applyHandler(ctx),
    [REVERT_TOPIC]: revertHandler(ctx),
    ...telegramIntakeHandlers(ctx),
    [CONTENT_TOPIC]: contentScanHandler(ctx),
    ...transparencyHandlers(ctx),
    [AUTHORITY_REPORT_TOPIC]: authorityReportHandler(ctx),
  };
}

export function scheduledJobs(ctx: AppContext): ScheduledJob[] {
  const log = ctx.log.child({ worker: 'scheduler' });
  const flaggersReviewedAt = new Map<string, number>();
  return [
    new ScheduledJob('clock marks', 5_000, () => announceClockMarks(ctx.db, ctx.clock()), log),
    new ScheduledJob('deadline marks', 5_000, () => announceDeadlineMarks(ctx.db, ctx.clock()), log),
    new ScheduledJob(
      'flagger precision (decided)',
      DUE_PASS_MS,
      () => reviewDueFlaggers(ctx.db, precisionSettings(ctx.config), ctx.clock(), flaggersReviewedAt),
      log,
    ),
    new ScheduledJob(
      'flagger precision',
      3_600_000,
      () => reviewAllFlaggers(ctx.db, precisionSettings(ctx.config), ctx.clock()),
      log,
    ),
    new ScheduledJob('flagger suspensions', 60_000, () => liftEndedSuspensions(ctx.db, ctx.clock()), log),
    new ScheduledJob('data request clock', 30_000, () => announceDataRequestClock(ctx.db, ctx.clock()), log),
    new ScheduledJob('preservation purge', PURGE_EVERY_MS, () => purgePass(ctx), log),
    ...telegramIntakeJobs(ctx),
    new ScheduledJob('bank sweep', 500, () => sweepNewEntries(ctx).then((s) => s.checked), log),
    new ScheduledJob(
      'content index retention',
      3_600_000,
      () => purgeExpiredContentHashes(ctx.db, ctx.clock()),
      log,
    ),
    ...transparencyJobs(ctx, log),
  ];
}

export function startWorkers(ctx: AppContext): Workers {
  const handlers = outboxHandlers(ctx);
  const outbox = lanes.map(
    (lane) =>
      new OutboxWorker({
        db: ctx.db,
        clock: ctx.clock,
        log: ctx.log.child({ worker: 'outbox', lane }),
        handlers,
        lanes: [lane],
        leaseMs: ctx.config.TAPIS_OUTBOX_LEASE_SECONDS * 1000,
      }),
  );
  const jobs = scheduledJobs(ctx);
  for (const worker of outbox) worker.start();
  for (const job of jobs) job.start();
  const telegramIntake = startTelegramIntake(ctx);
  // TAPIS_NATS_URL: this process also consumes content events from JetStream, as `tapis worker` does.
  const nats = ctx.config.TAPIS_NATS_URL
    ? startContentConsumer(ctx).catch((error) => {
        ctx.log.error({ err: error }, 'NATS content consumer did not start');
        return null;
      })
    : null;
  return {
    outbox,
    stop: async () => {
      await (await telegramIntake)();
      await (await nats)?.stop();
      await Promise.all([...outbox.map((worker) => worker.stop()), ...jobs.map((job) => job.stop())]);
    },
  };
}
