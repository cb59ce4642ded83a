import type { Logger } from 'pino';
import { databaseUnavailable } from '../store/unavailable.ts';

/**
 * Runs a job every `everyMs`, never two passes at once; a pass that finds work runs again
 * at once. Stops cleanly: `stop()` waits for a pass under way.
 */
export class ScheduledJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private unavailable = false;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly pass: () => Promise<number>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.everyMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }, ms);
  }

  private async run(): Promise<void> {
    let done = 0;
    try {
      done = await this.pass();
      this.unavailable = false;
    } catch (error) {
      // While the database is down every pass fails alike: said once, not every 500 ms.
      const reason = databaseUnavailable(error);
      if (!reason) this.log.error({ err: error, job: this.name }, 'scheduled job failed');
      else if (!this.unavailable)
        this.log.warn({ job: this.name, reason }, 'scheduled job failed: the database is unavailable');
      this.unavailable = reason !== null;
    }
    this.schedule(done > 0 ? 0 : this.everyMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
