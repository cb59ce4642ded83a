import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/**
 * `tapis serve` as a real child process (bin/tapis.js, as an operator runs it), for tests
 * that kill it, cut its database off or measure it from outside.
 */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  pid: number;
  output(): string;
  /** Resolves with the signal or exit code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const bin = path.resolve(import.meta.dirname, '../../bin/tapis.js');

export async function startChildServer(
  env: Record<string, string>,
  args: string[] = [],
  options: { readyWithinMs?: number } = {},
): Promise<ChildServer> {
  return launchChildServer(env, args, options).ready;
}

/** Starts `tapis serve`; `kill()` works before it is ready (a crash during start-up). */
export function launchChildServer(
  env: Record<string, string>,
  args: string[] = [],
  options: { readyWithinMs?: number } = {},
): { ready: Promise<ChildServer>; kill(): Promise<void> } {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
    // Enough to explain a failure; a long run must not hold every log line.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const server = (url: string): ChildServer => ({
    child,
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  });
  const ready = (async () => {
    const deadline = Date.now() + (options.readyWithinMs ?? 60_000);
    while (Date.now() < deadline) {
      const url = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url && (await fetch(`${url}/readyz`).catch(() => null))?.status === 200) return server(url);
      if (gone()) throw new Error(`tapis exited before it was ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`tapis was not ready in time:\n${output}`);
  })();
  return {
    ready,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
  };
}
