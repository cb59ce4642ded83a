import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

let app: TestApp;
/** Stands in for a running tapis: serves the app's published keys, and counts the requests. */
let keyServer: Server;
let keyServerUrl: string;
const keyRequests: string[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-receipt-'));
const notice = {
  targets: ['@receipt_channel'],
  category: 'terrorism',
  explanation: 'Synthetic notice whose receipt is checked offline.',
  good_faith: true,
};

beforeAll(async () => {
  app = await createTestApp();
  const analyst = await app.loginAs('analis@komdigi.example');
  const answer = (
    await app.request({ method: 'POST', url: '/v1/notices', as: analyst, payload: notice })
  ).json();
  writeFileSync(path.join(dir, 'answer.json'), JSON.stringify(answer));
  writeFileSync(path.join(dir, 'receipt.jws'), answer.receipt);
  const altered = answer.receipt.replace(
    /\.([A-Za-z0-9_-])/,
    (_m: string, c: string) => `.${c === 'A' ? 'B' : 'A'}`,
  );
  writeFileSync(path.join(dir, 'altered.jws'), altered);
  writeFileSync(
    path.join(dir, 'jwks.json'),
    (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).body,
  );
  const jwks = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).body;
  keyServer = createServer((request, response) => {
    keyRequests.push(request.url ?? '');
    if (request.url === '/.well-known/jwks.json')
      response.setHeader('content-type', 'application/json').end(jwks);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
  writeFileSync(path.join(dir, 'notice.json'), JSON.stringify(notice));
  writeFileSync(
    path.join(dir, 'other-notice.json'),
    JSON.stringify({ ...notice, targets: ['@another_channel'] }),
  );
});
afterAll(async () => {
  await new Promise((resolve) => keyServer.close(resolve));
  await app.close();
});

describe('tapis receipt verify', () => {
  it('verifies a receipt offline against the published keys, and the notice it covers', async () => {
    const result = await runCli([
      'receipt',
      'verify',
      path.join(dir, 'answer.json'),
      '--jwks',
      path.join(dir, 'jwks.json'),
      '--notice',
      path.join(dir, 'notice.json'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/receipt verifies/);
    expect(result.stdout).toMatch(/matches the notice file/);
  });

  it('refuses a receipt with one byte changed', async () => {
    const result = await runCli([
      'receipt',
      'verify',
      path.join(dir, 'altered.jws'),
      '--jwks',
      path.join(dir, 'jwks.json'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/does NOT verify/);
  });

  it('says when the notice file is not what was received', async () => {
    const result = await runCli([
      'receipt',
      'verify',
      path.join(dir, 'receipt.jws'),
      '--jwks',
      path.join(dir, 'jwks.json'),
      '--notice',
      path.join(dir, 'other-notice.json'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/digests differ/);
  });

  it('fetches the keys from --server when no --jwks is given', async () => {
    keyRequests.length = 0;
    const result = await runCli([
      'receipt',
      'verify',
      path.join(dir, 'answer.json'),
      '--server',
      keyServerUrl,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/receipt verifies/);
    expect(keyRequests).toEqual(['/.well-known/jwks.json']);
  });

  it('takes the server from TAPIS_URL, and refuses an altered receipt against the fetched keys', async () => {
    const good = await runCli(['receipt', 'verify', path.join(dir, 'receipt.jws')], {
      TAPIS_URL: keyServerUrl,
    });
    expect(good.code).toBe(0);
    const altered = await runCli(['receipt', 'verify', path.join(dir, 'altered.jws')], {
      TAPIS_URL: keyServerUrl,
    });
    expect(altered.code).not.toBe(0);
    expect(altered.stderr).toMatch(/does NOT verify/);
  });

  it('says where it could not fetch the keys from', async () => {
    const result = await runCli([
      'receipt',
      'verify',
      path.join(dir, 'receipt.jws'),
      '--server',
      `${keyServerUrl}/elsewhere/`,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `cannot fetch the keys from ${keyServerUrl}/elsewhere/.well-known/jwks.json: 404`,
    );
  });

  it('without --jwks, --server or TAPIS_URL, names both options and creates no database', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tapis-receipt-cwd-'));
    const result = await runCli(
      ['receipt', 'verify', path.join(dir, 'receipt.jws')],
      { TAPIS_URL: '', TAPIS_DATA_DIR: '', DATABASE_URL: '' },
      undefined,
      { cwd },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--jwks FILE/);
    expect(result.stderr).toMatch(/--server URL \(or TAPIS_URL\)/);
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
