import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, onPostgres } from './store.ts';

/**
 * `tapis serve --demo` (what `npm start` runs) as a child process on a free port, on a
 * database that does not exist yet: a fresh PGlite folder, or a fresh schema on the
 * PostgreSQL server at TEST_DATABASE_URL. What a new user gets from a fresh clone.
 */
export interface FreshServer {
  url: string;
  readyAfterMs: number;
  output(): string;
  stop(): Promise<void>;
}

const bin = path.resolve(import.meta.dirname, '../../bin/tapis.js');

export async function startFreshServer(extraEnv: Record<string, string> = {}): Promise<FreshServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tapis-fresh-'));
  const schema = `test_fresh_${randomBytes(4).toString('hex')}`;
  const databaseEnv = onPostgres
    ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DATABASE_SCHEMA: schema }
    : { TAPIS_DATA_DIR: path.join(dataDir, 'data'), DATABASE_URL: '' };
  const began = Date.now();
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--demo'], {
    cwd: dataDir,
    // A real port, not 0: links tapis hands out (statements of reasons) carry it.
    env: {
      ...process.env,
      ...databaseEnv,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      // A new user's walk through the API, not an outage test: on a CI machine shared by many
      // test files a statement may wait longer than the server's 4 s bound (decision 0015),
      // which would answer 503 where a user only sees a slow answer.
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      DATABASE_STATEMENT_TIMEOUT_MS: '30000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (onPostgres)
      await adminQuery(process.env.TEST_DATABASE_URL!, `drop schema if exists ${schema} cascade`);
  };
  const deadline = began + 60_000;
  while (Date.now() < deadline) {
    const url = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (url) {
      const ready = await fetch(`${url}/readyz`).catch(() => null);
      if (ready?.status === 200)
        return { url, readyAfterMs: Date.now() - began, output: () => output, stop: cleanUp };
    }
    if (child.exitCode !== null) {
      await cleanUp();
      throw new Error(`tapis exited: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cleanUp();
  throw new Error(`not ready within 60 s: ${output}`);
}

/** Asks until `check` answers something other than undefined, or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
