import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { adminQuery, onPostgres } from '../support/store.ts';

/**
 * `tapis serve --demo` (what `npm start` runs) on a database that does not exist yet:
 * it creates and migrates it, seeds the demo once, prints the URL and the logins, and
 * answers /readyz within 20 seconds.
 */
const bin = path.resolve(import.meta.dirname, '../../bin/tapis.js');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tapis-start-'));
const schema = `test_start_${randomBytes(4).toString('hex')}`;
const env = onPostgres
  ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DATABASE_SCHEMA: schema }
  : { TAPIS_DATA_DIR: path.join(dataDir, 'fresh'), DATABASE_URL: '' };

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (onPostgres) await adminQuery(process.env.TEST_DATABASE_URL!, `drop schema if exists ${schema} cascade`);
});

/**
 * The target is 20 s on an idle machine (`npm start` on a fresh clone measures ~9 s). Here
 * the other test files share two cores, so the bound is 60 s: loose, but one that a start
 * which hangs or redoes its work does exceed.
 */
const READY_BOUND_MS = 60_000;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  readyAfterMs: number;
}

async function start(): Promise<Started> {
  const began = Date.now();
  const child = spawn(process.execPath, [bin, 'serve', '--demo'], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  // Waits past the bound asserted below, so that a slow start fails that assertion with
  // its figure instead of this loop giving up first.
  const deadline = began + 2 * READY_BOUND_MS;
  while (Date.now() < deadline) {
    const url = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (url) {
      const ready = await fetch(`${url}/readyz`).catch(() => null);
      if (ready?.status === 200)
        return { child, url, output: () => output, readyAfterMs: Date.now() - began };
    }
    if (child.exitCode !== null) throw new Error(`tapis exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`not ready within ${(2 * READY_BOUND_MS) / 1000} s: ${output}`);
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return new Promise((resolve) => started.child.once('exit', (code) => resolve(code)));
}

describe('tapis serve --demo', () => {
  it(
    'creates, migrates and seeds a new database and is ready within the start-up bound',
    async () => {
      const first = await start();
      try {
        // The figure is printed for the record (20 s is the target on an idle machine).
        process.stdout.write(`tapis serve --demo on a new database: ready after ${first.readyAfterMs} ms\n`);
        expect(first.readyAfterMs).toBeLessThan(READY_BOUND_MS);
        expect(first.output()).toMatch(/demo data: seeded now/);
        expect(first.output()).toMatch(/admin@platform\.example/);
        expect(first.output()).toMatch(/analis@komdigi\.example/);
        const login = await fetch(`${first.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'analis@komdigi.example', password: 'tapis-demo-2026' }),
        });
        expect(login.status).toBe(200);
        expect((await fetch(`${first.url}/docs`)).status).toBe(200);
        const openapi = (await (await fetch(`${first.url}/openapi.json`)).json()) as {
          openapi: string;
          paths: Record<string, unknown>;
        };
        expect(openapi.openapi).toBe('3.1.0');
        expect(Object.keys(openapi.paths)).toContain('/v1/audit');
      } finally {
        expect(await stop(first)).toBe(0);
      }
      if (!onPostgres) expect(existsSync(path.join(env.TAPIS_DATA_DIR!, 'tapis.pid'))).toBe(false);

      // A second start finds the data and does not seed it again.
      const second = await start();
      try {
        expect(second.output()).toMatch(/demo data: already present/);
      } finally {
        await stop(second);
      }
    },
    5 * READY_BOUND_MS,
  );
});

describe('tapis serve on a port that is taken', () => {
  it('says so and exits, leaving nothing running that would hold the process', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const began = Date.now();
    try {
      const result = await runCli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/EADDRINUSE|in use/);
      // It exits by itself (the pool, the workers and the LISTEN connection are closed).
      expect(Date.now() - began).toBeLessThan(45_000);
    } finally {
      taken.close();
    }
  }, 60_000);
});
