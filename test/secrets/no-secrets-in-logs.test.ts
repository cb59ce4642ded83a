import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/**
 * Secrets never reach the logs (issue 15, item 5): everything the server logs at `trace`,
 * the most it can, while a user logs in (and fails to), an API key and a webhook are made
 * and used, and events are delivered (and fail to be), holds none of the secrets involved.
 */
const secretKey = randomBytes(32).toString('base64');
let app: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  app = await createTestApp({
    env: { LOG_LEVEL: 'trace', TAPIS_ALLOW_PRIVATE_NETWORKS: 'true', TAPIS_SECRET_KEY: secretKey },
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await app.close();
});

describe('the logs', () => {
  it('hold no password, session, CSRF token, API key, webhook secret or secret key', async () => {
    const secrets: string[] = [DEMO_PASSWORD, secretKey];
    const wrongPassword = `Wrong-${randomBytes(9).toString('base64url')}`;
    secrets.push(wrongPassword);
    const failed = await app.request({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'admin@komdigi.example', password: wrongPassword },
    });
    expect(failed.statusCode).toBe(401);
    // Refused for an unknown field: the problem document must not carry the password to the log.
    const refused = await app.request({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'admin@komdigi.example', password: wrongPassword, remember: true },
    });
    expect(refused.statusCode).toBe(400);

    const login = await app.request({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'admin@komdigi.example', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const session = login.cookies.find((c) => c.name === 'tapis_session')!.value;
    const csrf = login.json().csrf_token as string;
    secrets.push(session, csrf);
    const admin = { cookie: `tapis_session=${session}`, csrf };

    const key = await app.request({
      method: 'POST',
      url: '/v1/orgs/komdigi/keys',
      as: admin,
      payload: { name: 'Gateway key for the log test' },
    });
    expect(key.statusCode).toBe(201);
    const apiKey = key.json().key as string;
    secrets.push(apiKey, apiKey.split('_').at(-1)!);

    const hook = await app.request({
      method: 'POST',
      url: '/v1/webhooks',
      as: { key: apiKey },
      payload: { url: receiver.url },
    });
    expect(hook.statusCode).toBe(201);
    const hookSecret = hook.json().secret as string;
    secrets.push(hookSecret, hookSecret.slice('whsec_'.length));

    const notice = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: { key: apiKey },
      payload: {
        targets: ['@log_test_channel'],
        category: 'terrorism',
        explanation: 'Synthetic notice for the log leak test.',
        good_faith: true,
      },
    });
    expect(notice.statusCode).toBe(201);
    const worker = new OutboxWorker({
      db: app.ctx.db,
      clock: app.clock,
      log: app.ctx.log,
      handlers: outboxHandlers(app.ctx),
    });
    // A failed delivery first (its error is logged), then a good one.
    receiver.status = 500;
    await worker.runOnce();
    receiver.status = 200;
    app.clock.advance(60_000);
    await worker.runOnce();
    expect(receiver.received).toHaveLength(1);
    await app.request({ method: 'POST', url: '/v1/auth/logout', as: admin });

    const logs = app.logs.join('');
    // The capture works: the requests above were logged, at trace level too.
    expect(logs).toContain('"route":"/v1/auth/login"');
    expect(logs).toContain('"route":"/v1/webhooks"');
    expect(app.logs.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(logs, `a secret of ${secret.length} chars`).not.toContain(secret);
  });
});
