import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { accountRule, addressRule, waitAfter } from '../../src/identity/login-throttle.ts';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('the login delay', () => {
  it('costs nothing for the first few failures, then doubles with each', () => {
    const rule = accountRule(5);
    expect([0, 1, 4].map((n) => waitAfter(rule, n))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => waitAfter(rule, n))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(waitAfter(rule, 500)).toBe(15 * 60_000);
  });

  it('slows a shared address later and less than an account', () => {
    const rule = addressRule(5);
    expect(waitAfter(rule, 24)).toBe(0);
    expect(waitAfter(rule, 25)).toBe(1_000);
    expect(waitAfter(rule, 10_000)).toBe(60_000);
  });
});

describe('TAPIS_TRUST_PROXY', () => {
  const read = (value?: string) =>
    loadConfig({ TAPIS_DATA_DIR: '/x', ...(value === undefined ? {} : { TAPIS_TRUST_PROXY: value }) }, '/x')
      .TAPIS_TRUST_PROXY;
  it('trusts no proxy by default, and reads true, a hop count or a list of addresses', () => {
    expect(read()).toBe(false);
    expect(read('true')).toBe(true);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});

let app: TestApp;
let proxied: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  proxied = await createTestApp({ env: { TAPIS_TRUST_PROXY: '127.0.0.1' } });
});
afterAll(async () => {
  await app.close();
  await proxied.close();
});

const login = (on: TestApp, email: string, password: string, from?: string) =>
  on.request({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    remoteAddress: '127.0.0.1',
    ...(from ? { headers: { 'x-forwarded-for': from } } : {}),
  });

describe('login throttling', () => {
  it('slows an account after five wrong passwords instead of locking it', async () => {
    const email = 'lead@platform.example';
    for (let i = 0; i < 5; i++) expect((await login(app, email, `guess ${i}`)).statusCode).toBe(401);
    const early = await login(app, email, DEMO_PASSWORD);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    app.clock.advance(1_000);
    expect((await login(app, email, DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('doubles the wait with each further failure, and does not count tries made too early', async () => {
    const email = 'peninjau@platform.example';
    for (let i = 0; i < 5; i++) await login(app, email, `guess ${i}`);
    app.clock.advance(1_000);
    expect((await login(app, email, 'guess 6')).statusCode).toBe(401);
    for (let i = 0; i < 20; i++) expect((await login(app, email, 'hammer')).statusCode).toBe(429);
    expect((await login(app, email, DEMO_PASSWORD)).headers['retry-after']).toBe('2');
    app.clock.advance(2_000);
    expect((await login(app, email, 'guess 7')).statusCode).toBe(401);
    expect((await login(app, email, DEMO_PASSWORD)).headers['retry-after']).toBe('4');
    app.clock.advance(4_000);
    expect((await login(app, email, DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('behind a trusted proxy, tells clients apart: one address’s failures do not slow another’s', async () => {
    for (let i = 0; i < 26; i++) {
      const response = await login(proxied, `nobody-${i}@platform.example`, 'guess', '203.0.113.5');
      expect([401, 429]).toContain(response.statusCode);
    }
    expect((await login(proxied, 'lead@platform.example', DEMO_PASSWORD, '203.0.113.5')).statusCode).toBe(
      429,
    );
    expect((await login(proxied, 'lead@platform.example', DEMO_PASSWORD, '198.51.100.7')).statusCode).toBe(
      200,
    );
    // And the busy address is slowed, not shut out: a minute at most.
    proxied.clock.advance(60_000);
    expect((await login(proxied, 'lead@platform.example', DEMO_PASSWORD, '203.0.113.5')).statusCode).toBe(
      200,
    );
  });

  it('ignores X-Forwarded-For when no proxy is trusted, so a client cannot pick its address', async () => {
    for (let i = 0; i < 26; i++) await login(app, `spoof-${i}@platform.example`, 'guess', `192.0.2.${i}`);
    const response = await login(app, 'auditor@platform.example', DEMO_PASSWORD, '192.0.2.200');
    expect(response.statusCode).toBe(429);
  });
});
