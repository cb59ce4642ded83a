import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const notice = (over: Record<string, unknown> = {}) => ({
  targets: ['https://t.me/some_public_channel/7'],
  category: 'terrorism',
  explanation: 'This channel posts recruitment videos for a designated terrorist group.',
  good_faith: true,
  notifier: { name: 'Budi Santoso', email: 'budi@example.org' },
  ...over,
});

let address = 0;
const from = () => `198.51.100.${++address}`;

describe('the public notice form (DSA Art. 16)', () => {
  it('takes a notice from anyone, without an account, and answers the signed receipt', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: notice(),
      remoteAddress: from(),
    });
    expect(response.statusCode).toBe(201);
    const receipt = response.json();
    expect(receipt.receipt.split('.')).toHaveLength(3);
    expect(receipt.source_type).toBe('regular_notice');
    const lead = await app.loginAs('lead@platform.example');
    const stored = await app.request({ method: 'GET', url: `/v1/notices/${receipt.notice_id}`, as: lead });
    expect(stored.json()).toMatchObject({ org: 'public', notifier: { name: 'Budi Santoso' } });
  });

  it('files every public notice under one public organisation', async () => {
    const a = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: notice({ targets: ['@public_one'] }),
      remoteAddress: from(),
    });
    const b = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: notice({ targets: ['@public_two'] }),
      remoteAddress: from(),
    });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const orgs = await app.ctx.db
      .selectFrom('organisations')
      .select('kind')
      .where('slug', '=', 'public')
      .execute();
    expect(orgs).toEqual([{ kind: 'public' }]);
  });

  it('asks for a name and e-mail unless the notice is anonymous', async () => {
    const { notifier: _, ...nameless } = notice();
    const response = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: nameless,
      remoteAddress: from(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/notifier');
  });

  it('refuses an anonymous notice where the category does not allow it', async () => {
    const { notifier: _, ...nameless } = notice();
    const response = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: { ...nameless, anonymous: true },
      remoteAddress: from(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/anonymous');
  });

  it('refuses a target it cannot parse, naming it', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: notice({ targets: ['t.me/ab'] }),
      remoteAddress: from(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].pointer).toBe('/targets/0');
  });

  it('refuses fields the form does not have', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/public/notices',
      payload: notice({ kind: 'order' }),
      remoteAddress: from(),
    });
    expect(response.statusCode).toBe(400);
  });

  it('is rate-limited per address, with Retry-After', async () => {
    const remoteAddress = '203.0.113.77';
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await app.request({
        method: 'POST',
        url: '/v1/public/notices',
        payload: notice({ targets: [`@rate_limited_${i}_x`] }),
        remoteAddress,
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(codes.slice(5)).toEqual([429, 429]);
  });
});
