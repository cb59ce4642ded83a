import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../src/http/console.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ensureConsoleBuilt } from './support/build.ts';

let app: TestApp;
beforeAll(async () => {
  ensureConsoleBuilt();
  app = await createTestApp();
});
afterAll(() => app.close());

describe('the console is served by the tapis server', () => {
  it('answers the app at / with a strict Content-Security-Policy', async () => {
    const response = await app.request({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('<div id="root">');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('answers a deep link with the app, so a bookmarked case opens', async () => {
    const response = await app.request({
      method: 'GET',
      url: '/desk/cases/0190a1b2-0000-7000-8000-000000000000',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves the hashed assets with a long cache', async () => {
    const index = (await app.request({ method: 'GET', url: '/' })).body;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(script).toBeDefined();
    expect(existsSync(join(CONSOLE_DIST, script!))).toBe(true);
    const response = await app.request({ method: 'GET', url: script! });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toMatch(/immutable/);
  });

  it.each([
    '/v1/no-such-route',
    '/docs/no-such-file',
    '/healthz/x',
    '/.well-known/nothing',
    '/problems/x/y',
    '/metrics/x',
    '/openapi.json/x',
    '/readyz/x',
  ])('never shadows a server path: %s stays a problem+json 404', async (url) => {
    const response = await app.request({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('never serves a file from outside the build', async () => {
    const response = await app.request({ method: 'GET', url: '/..%2F..%2Fpackage.json' });
    expect(response.body).not.toContain('"devDependencies"');
  });

  it.each(['/healthz', '/v1/taxonomy', '/openapi.json', '/docs', '/v1/me', '/v1/no-such-route'])(
    'puts the security headers on every answer: %s',
    async (url) => {
      const response = await app.request({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    },
  );

  it('gives the API documentation a policy of its own that lets Swagger UI style itself', async () => {
    const response = await app.request({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe('the target preview', () => {
  it('shows the canonical subject of each link, or why it is refused, as the intake would', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/targets/parse',
      payload: {
        targets: ['https://t.me/SomeChannel/42', 't.me/ab', 'https://example.org/page?utm_source=x'],
      },
    });
    expect(response.statusCode).toBe(200);
    const [message, refused, web] = response.json().items;
    expect(message).toMatchObject({ ok: true, subject: { kind: 'message', message_id: 42 } });
    expect(message.subject.key).toMatch(/somechannel/i);
    expect(refused).toMatchObject({ ok: false, subject: null });
    expect(refused.reason).toMatch(/ab/);
    expect(web).toMatchObject({ ok: true, subject: { platform: 'web' } });
  });

  it('refuses a body that is not a list of targets, naming the field', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/targets/parse',
      payload: { targets: [] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/targets');
    const extra = await app.request({
      method: 'POST',
      url: '/v1/targets/parse',
      payload: { targets: ['x'], more: 1 },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('is rate-limited per address', async () => {
    let limited = 0;
    for (let i = 0; i < 130; i++) {
      const r = await app.request({
        method: 'POST',
        url: '/v1/targets/parse',
        payload: { targets: ['@channel_name'] },
        remoteAddress: '203.0.113.9',
      });
      if (r.statusCode === 429) {
        limited++;
        expect(r.headers['retry-after']).toBeDefined();
      }
    }
    expect(limited).toBeGreaterThan(0);
  });
});
