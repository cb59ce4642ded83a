import type { Logger } from 'pino';
import type { Db } from '../store/db.ts';
import type { IntakeBotApi } from './bot-client.ts';
import { type InboxProcessor, storeUpdates, updatesOffset } from './inbox.ts';

/**
 * Long polling (#getupdates), the default: no public address needed. Each call asks for
 * the updates after the stored offset and waits up to `timeoutSeconds` for one; what comes
 * back is stored with the new offset in one transaction (src/telegram-intake/inbox.ts),
 * then handled. A call that failed or whose answer was lost asks again from the same
 * offset: Telegram keeps unconfirmed updates (for 24 hours), so nothing is lost.
 *
 * A 429 is honoured with its `retry_after`; other failures back off, up to a minute.
 */
export const ALLOWED_UPDATES = ['message', 'callback_query'];

export interface PollerOptions {
  db: Db;
  api: IntakeBotApi;
  inbox: InboxProcessor;
  log: Logger;
  clock: () => Date;
  timeoutSeconds?: number;
  /** Injected in tests, to see the waits without making them. */
  sleep?: (ms: number) => Promise<void>;
}

export class UpdatePoller {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private failures = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private wake: (() => void) | null = null;

  constructor(private readonly options: PollerOptions) {
    this.sleep =
      options.sleep ??
      ((ms) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, ms);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        }));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      // getUpdates is refused while a webhook is set (409): polling removes it, keeping the queue.
      await this.options.api.call('deleteWebhook', { drop_pending_updates: false });
      while (!this.stopped) {
        try {
          await this.pollOnce();
        } catch (error) {
          this.options.log.error({ err: error }, 'telegram polling pass failed');
          await this.sleep(5_000);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** One getUpdates call, its updates stored and handled. Returns how many were new. */
  async pollOnce(): Promise<number> {
    const { db, api, inbox, log, clock } = this.options;
    const offset = await updatesOffset(db);
    const answer = await api.call<unknown[]>('getUpdates', {
      offset,
      timeout: this.options.timeoutSeconds ?? 25,
      allowed_updates: ALLOWED_UPDATES,
    });
    if (!answer.ok) {
      const retryAfter = 'error' in answer ? answer.error.retry_after : undefined;
      this.failures += 1;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : Math.min(60_000, 1000 * 2 ** this.failures);
      log.warn(
        { code: 'error' in answer ? answer.error.error_code : 'unreachable', wait_ms: wait },
        'getUpdates failed; polling again later',
      );
      // Updates stored earlier but not yet handled (a crash) are handled meanwhile.
      await inbox.drain();
      await this.sleep(wait);
      return 0;
    }
    this.failures = 0;
    const stored = Array.isArray(answer.result) ? await storeUpdates(db, answer.result, clock()) : 0;
    await inbox.drain();
    return stored;
  }
}
