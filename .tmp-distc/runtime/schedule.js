/**
 * Runs a job every `everyMs`, never two passes at once; a pass that finds work runs again
 * at once. Stops cleanly: `stop()` waits for a pass under way.
 */
export class ScheduledJob {
    name;
    everyMs;
    pass;
    log;
    timer = null;
    running = null;
    stopped = false;
    constructor(name, everyMs, pass, log) {
        this.name = name;
        this.everyMs = everyMs;
        this.pass = pass;
        this.log = log;
    }
    start() {
        this.stopped = false;
        this.schedule(this.everyMs);
    }
    schedule(ms) {
        if (this.stopped)
            return;
        this.timer = setTimeout(() => {
            this.running = this.run().finally(() => {
                this.running = null;
            });
        }, ms);
    }
    async run() {
        let done = 0;
        try {
            done = await this.pass();
        }
        catch (error) {
            this.log.error({ err: error, job: this.name }, 'scheduled job failed');
        }
        this.schedule(done > 0 ? 0 : this.everyMs);
    }
    async stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        await this.running;
    }
}
