import type { Logger } from 'pino';
import type { TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from '../runtime/context.ts';
import { ScheduledJob } from '../runtime/schedule.ts';
import { queueSubmissions, TDB_SWEEP_EVERY_MS, TDB_TOPIC, tdbSubmitHandler } from './submission.ts';
import { tdbClient } from './tdb-client.ts';

/** The Transparency Database's submission, when the instance is configured for it (TAPIS_TDB_URL and TAPIS_TDB_TOKEN). */
function configured(ctx: AppContext) {
  const { TAPIS_TDB_URL: url, TAPIS_TDB_TOKEN: token } = ctx.config;
  return url && token ? { url, token } : null;
}

export function transparencyHandlers(ctx: AppContext): Record<string, TopicHandler> {
  const tdb = configured(ctx);
  if (!tdb) return {};
  return {
    [TDB_TOPIC]: tdbSubmitHandler({
      db: ctx.db,
      client: tdbClient(tdb),
      clock: ctx.clock,
      log: ctx.log.child({ worker: 'transparency-database' }),
    }),
  };
}

export function transparencyJobs(ctx: AppContext, log: Logger): ScheduledJob[] {
  if (!configured(ctx)) return [];
  return [
    new ScheduledJob(
      'transparency database',
      TDB_SWEEP_EVERY_MS,
      () => queueSubmissions(ctx.db, ctx.clock()),
      log,
    ),
  ];
}
