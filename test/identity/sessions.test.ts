import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const login = (email: string, password: string) =>
  app.request({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });

describe('console sessions', () => {
  it('log in with a password and set an HttpOnly, SameSite cookie', async () => {
    const response = await login('lead@platform.example', DEMO_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'tapis_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(response.json().csrf_token).toEqual(expect.any(String));
  });

  it('refuse a wrong password, and an unknown e-mail, with the same answer', async () => {
    const wrong = await login('lead@platform.example', 'not the password');
    const unknown = await login('nobody@platform.example', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('throttle an account after repeated failures, and let it in again later', async () => {
    const email = 'reviewer@platform.example';
    for (let i = 0; i < 5; i++) expect((await login(email, `guess ${i}`)).statusCode).toBe(401);
    const throttled = await login(email, DEMO_PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    app.clock.advance(16 * 60 * 1000);
    expect((await login(email, DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('end at logout', async () => {
    const caller = await app.loginAs('auditor@platform.example');
    expect((await app.request({ method: 'GET', url: '/v1/me', as: caller })).statusCode).toBe(200);
    expect((await app.request({ method: 'POST', url: '/v1/auth/logout', as: caller })).statusCode).toBe(204);
    expect((await app.request({ method: 'GET', url: '/v1/me', as: caller })).statusCode).toBe(401);
  });

  it('end when the user is disabled', async () => {
    const admin = await app.loginAs('admin@platform.example');
    const ngo = await app.loginAs('analyst@ngo.example');
    const me = (await app.request({ method: 'GET', url: '/v1/me', as: ngo })).json();
    expect(
      (await app.request({ method: 'POST', url: `/v1/users/${me.id}/disable`, as: admin, payload: {} }))
        .statusCode,
    ).toBe(204);
    expect((await app.request({ method: 'GET', url: '/v1/me', as: ngo })).statusCode).toBe(401);
    expect((await login('analyst@ngo.example', DEMO_PASSWORD)).statusCode).toBe(401);
  });
});

describe('users', () => {
  it('get only the roles their organisation’s kind allows', async () => {
    const admin = await app.loginAs('admin@platform.example');
    const response = await app.request({
      method: 'POST',
      url: '/v1/users',
      as: admin,
      payload: { org: 'komdigi', email: 'x@komdigi.example', display_name: 'X', roles: ['reviewer'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/roles');
  });

  it('created without a password get a generated one, shown once', async () => {
    const admin = await app.loginAs('admin@platform.example');
    const response = await app.request({
      method: 'POST',
      url: '/v1/users',
      as: admin,
      payload: {
        org: 'platform',
        email: 'new.reviewer@platform.example',
        display_name: 'New',
        roles: ['reviewer'],
        languages: ['id'],
      },
    });
    expect(response.statusCode).toBe(201);
    const { password } = response.json();
    expect(password).toEqual(expect.any(String));
    expect((await login('new.reviewer@platform.example', password)).statusCode).toBe(200);
    const listed = await app.request({ method: 'GET', url: '/v1/users?org=platform', as: admin });
    expect(listed.body).not.toContain(password);
  });

  it('are listed only within their own organisation for a flagger_admin', async () => {
    const komdigiAdmin = await app.loginAs('admin@komdigi.example');
    const listed = (await app.request({ method: 'GET', url: '/v1/users', as: komdigiAdmin })).json();
    expect(new Set(listed.items.map((u: { org: string }) => u.org))).toEqual(new Set(['komdigi']));
  });
});
