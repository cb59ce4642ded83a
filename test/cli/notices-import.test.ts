import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { createApiKey } from '../../src/identity/api-keys.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { bulkWorker } from '../support/bulk.ts';
import { runCli } from '../support/cli.ts';

/**
 * `tapis notices import FILE` against a server listening on a port, with its outbox worker
 * running, as a flagger would use it from its own desk: through the API only.
 */
let app: TestApp;
let worker: OutboxWorker;
let url: string;
let key: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-import-'));
const explanation = 'Synthetic test notice: the post recruits for a designated group.';

beforeAll(async () => {
  app = await createTestApp();
  key = (await createApiKey(app.ctx.db, cliActor, { org: 'komdigi', name: 'import' }, app.clock())).key;
  url = await app.server.app.listen({ port: 0, host: '127.0.0.1' });
  worker = bulkWorker(app.ctx);
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const importFile = (file: string, ...args: string[]) =>
  runCli(['notices', 'import', file, '--poll-ms', '100', ...args], { TAPIS_URL: url, TAPIS_API_KEY: key });

describe('tapis notices import', () => {
  it('uploads a CSV, follows the job, reports invalid rows and exits 2', async () => {
    const file = path.join(dir, 'notices.csv');
    writeFileSync(
      file,
      [
        'targets,category,explanation,good_faith',
        `@import_one_channel,terrorism,${explanation},yes`,
        `t.me/ab,terrorism,${explanation},yes`,
        `@import_one_channel,terrorism,${explanation},yes`,
      ].join('\n'),
    );
    const out = path.join(dir, 'results.jsonl');
    const result = await importFile(file, '--out', out);
    expect(result.stdout).toMatch(/^3 notices: 1 created, 1 duplicate, 1 invalid \(job [0-9a-f-]{36}\)\n$/);
    expect(result.stderr).toMatch(/job [0-9a-f-]{36}: 3 notices from notices\.csv/);
    expect(result.stderr).toMatch(/row 2: targets\[0\]: 't\.me\/ab'/);
    expect(result.code).toBe(2);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'invalid'],
      [3, 'duplicate'],
    ]);
    expect(rows[0].notice_id).toEqual(expect.any(String));

    // Run again, the same file follows the same job rather than sending it twice.
    const again = await importFile(file);
    expect(again.stdout.match(/job (\S+)\)/)?.[1]).toBe(result.stdout.match(/job (\S+)\)/)?.[1]);
  });

  it('exits 0 when every row is created or a duplicate', async () => {
    const file = path.join(dir, 'clean.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ targets: ['@import_clean_channel'], category: 'hoax', explanation, good_faith: true })}\n`,
    );
    const result = await importFile(file);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^1 notices: 1 created, 0 duplicate, 0 invalid/),
    });
  });

  it('says what is wrong when the server refuses the file or cannot be asked', async () => {
    const file = path.join(dir, 'odd.csv');
    writeFileSync(file, 'targets,category,explanation,good_faith,colour\n@x_channel,hoax,x,1,red\n');
    // Each run starts a process of its own; they need not wait for each other.
    const [refused, unnamed, noKey, down] = await Promise.all([
      importFile(file),
      importFile(path.join(dir, 'notices.txt')),
      runCli(['notices', 'import', file], { TAPIS_URL: url, TAPIS_API_KEY: '' }),
      closedPort().then((port) => importFile(file, '--server', `http://127.0.0.1:${port}`)),
    ]);
    expect(refused).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/400 unknown CSV column 'colour'/),
    });
    expect(unnamed).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/pass --format csv or --format jsonl/),
    });
    expect(noKey).toMatchObject({ code: 1, stderr: expect.stringMatching(/TAPIS_API_KEY/) });
    expect(down).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/cannot reach tapis at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/),
    });
  });
});
