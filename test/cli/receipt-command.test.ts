import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

let app: TestApp;
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
  writeFileSync(path.join(dir, 'notice.json'), JSON.stringify(notice));
  writeFileSync(
    path.join(dir, 'other-notice.json'),
    JSON.stringify({ ...notice, targets: ['@another_channel'] }),
  );
});
afterAll(() => app.close());

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
});
