import { OutboxWorker, type TopicHandler } from '../outbox/worker.ts';
import type { AppContext } from './context.ts';

/**
 * The background work of a tapis process: outbox delivery and scheduled jobs. Each
 * capability contributes its outbox topics here.
 */
export interface Workers {
  outbox: OutboxWorker;
  stop(): Promise<void>;
}

export function outboxHandlers(_ctx: AppContext): Record<string, TopicHandler> {
  return {};
}

export function startWorkers(ctx: AppContext): Workers {
  const outbox = new OutboxWorker({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log.child({ worker: 'outbox' }),
    handlers: outboxHandlers(ctx),
  });
  outbox.start();
  return {
    outbox,
    stop: () => outbox.stop(),
  };
}
