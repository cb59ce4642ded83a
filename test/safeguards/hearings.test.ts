import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Trusted-flagger revocation after a hearing (DSA Art. 22(7); issue 14 §9): revoking the
 * trusted status directly is refused; a hearing has a deadline from the SOP policy, the
 * flagger answers, then a lead decides with reasons, audited and written in the thread.
 */
// Whole flows through the API, each many requests: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
const DAY = 86_400_000;
let app: TestApp;
let admin: Caller;
let lead: Caller;
let watchdogAdmin: Caller;
let otherFlagger: Caller;
let noticeId: string;

const request = (...args: Parameters<TestApp['request']>) => app.request(...args);

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
  lead = await app.loginAs('lead@platform.example');
  otherFlagger = await app.loginAs('analyst@ngo.example');
  expect(
    (
      await request({
        method: 'POST',
        url: '/v1/orgs',
        as: admin,
        payload: { slug: 'watchdog', name: 'Synthetic watchdog', kind: 'ngo' },
      })
    ).statusCode,
  ).toBe(201);
  const user = await request({
    method: 'POST',
    url: '/v1/users',
    as: admin,
    payload: {
      org: 'watchdog',
      email: 'head@watchdog.example',
      display_name: 'Watchdog Head',
      roles: ['flagger_admin'],
      languages: ['id'],
      jurisdictions: ['ID'],
      password: 'tapis-demo-2026',
    },
  });
  expect(user.statusCode).toBe(201);
  watchdogAdmin = await app.loginAs('head@watchdog.example');
  const trusted = await request({
    method: 'POST',
    url: '/v1/flaggers/watchdog/status',
    as: lead,
    payload: { status: 'trusted', reasons: 'Designated.', designated_by: 'Digital Services Coordinator' },
  });
  expect(trusted.statusCode, trusted.body).toBe(201);
  const notice = await request({
    method: 'POST',
    url: '/v1/notices',
    as: watchdogAdmin,
    payload: {
      targets: ['https://t.me/hearingcase/1'],
      category: 'terrorism',
      explanation: 'Synthetic test notice for hearings.',
      good_faith: true,
    },
  });
  expect(notice.statusCode, notice.body).toBe(201);
  noticeId = notice.json().notice_id;
});
afterAll(() => app.close());

describe('revoking trusted status', () => {
  it('is refused without a hearing', async () => {
    const response = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/status',
      as: lead,
      payload: { status: 'regular', reasons: 'Poor notices.' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/hearing/);
  });

  it('opens a hearing with a deadline, lets the flagger answer, then decides with reasons', async () => {
    const opened = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/hearings',
      as: lead,
      payload: { proposed: 'revoke', grounds: 'Synthetic: many imprecise notices.', notice_ids: [noticeId] },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const hearing = opened.json();
    expect(new Date(hearing.due_at).getTime() - new Date(hearing.opened_at).getTime()).toBe(14 * DAY);
    const again = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/hearings',
      as: lead,
      payload: { proposed: 'revoke', grounds: 'Twice.' },
    });
    expect(again.statusCode).toBe(409);

    const early = await request({
      method: 'POST',
      url: `/v1/hearings/${hearing.id}/decision`,
      as: lead,
      payload: { decision: 'revoke', reasons: 'Too early.' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/to answer/);

    const mine = (await request({ method: 'GET', url: '/v1/hearings', as: watchdogAdmin })).json().items;
    expect(mine.map((h: { id: string }) => h.id)).toEqual([hearing.id]);
    const thread = (
      await request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: watchdogAdmin })
    ).json().items;
    expect(thread.at(-1).body).toMatch(/^Hearing \(DSA Art\. 22\(7\)\)/);

    const stranger = await request({
      method: 'POST',
      url: `/v1/hearings/${hearing.id}/answer`,
      as: otherFlagger,
      payload: { answer: 'Not mine.' },
    });
    expect(stranger.statusCode).toBe(403);
    const answered = await request({
      method: 'POST',
      url: `/v1/hearings/${hearing.id}/answer`,
      as: watchdogAdmin,
      payload: { answer: 'Synthetic: we retrained our analysts.' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', late: false });

    const decided = await request({
      method: 'POST',
      url: `/v1/hearings/${hearing.id}/decision`,
      as: lead,
      payload: { decision: 'revoke', reasons: 'Synthetic: the answer does not explain the error rate.' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'decided',
      decision: 'revoke',
      status_change_id: expect.any(String),
    });
    const flagger = (await request({ method: 'GET', url: '/v1/flaggers/watchdog', as: lead })).json();
    expect(flagger.flagger_status).toBe('regular');
    expect(flagger.status_history.at(-1).reasons).toMatch(/After a hearing/);
    const audit = (await request({ method: 'GET', url: '/v1/audit?limit=1000', as: admin })).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'flagger.hearing_opened',
        'flagger.hearing_answered',
        'flagger.hearing_decided',
      ]),
    );
    const after = (
      await request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: watchdogAdmin })
    ).json().items;
    expect(after.at(-1).body).toMatch(/^Decision after the hearing/);
  });

  it('suspends trusted status after an unanswered hearing, once its time has run out', async () => {
    await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/status',
      as: lead,
      payload: {
        status: 'trusted',
        reasons: 'Designated again.',
        designated_by: 'Digital Services Coordinator',
      },
    });
    const until = new Date(app.clock().getTime() + 60 * DAY).toISOString();
    const opened = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/hearings',
      as: lead,
      payload: { proposed: 'suspend', grounds: 'Synthetic.', until },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    app.clock.advance(15 * DAY);
    lead = await app.loginAs('lead@platform.example');
    const decided = await request({
      method: 'POST',
      url: `/v1/hearings/${opened.json().id}/decision`,
      as: lead,
      payload: { decision: 'suspend', reasons: 'Synthetic: no answer in time.', until },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const flagger = (await request({ method: 'GET', url: '/v1/flaggers/watchdog', as: lead })).json();
    expect(flagger).toMatchObject({ flagger_status: 'suspended', suspended_until: until });
  });

  it('answers bad input with problem+json', async () => {
    lead = await app.loginAs('lead@platform.example');
    watchdogAdmin = await app.loginAs('head@watchdog.example');
    const bad: [string, Record<string, unknown>][] = [
      ['/v1/flaggers/watchdog/hearings', { proposed: 'banish', grounds: 'x' }],
      ['/v1/flaggers/watchdog/hearings', { proposed: 'suspend', grounds: 'x' }],
      ['/v1/flaggers/watchdog/hearings', { proposed: 'revoke', grounds: '   ' }],
      ['/v1/flaggers/watchdog/hearings', { proposed: 'revoke', grounds: 'x'.repeat(10_001) }],
      ['/v1/flaggers/watchdog/hearings', { proposed: 'revoke', grounds: 'x', extra: true }],
      ['/v1/flaggers/watchdog/hearings', { proposed: 'revoke', grounds: 'x', notice_ids: ['not-a-uuid'] }],
      [
        '/v1/hearings/00000000-0000-7000-8000-000000000000/decision',
        { decision: 'keep', reasons: 'x', until: 'soon' },
      ],
      [
        '/v1/hearings/00000000-0000-7000-8000-000000000000/decision',
        { decision: 'keep', reasons: 'x', until: '2027-01-01T00:00:00Z' },
      ],
    ];
    for (const [url, payload] of bad) {
      const response = await request({ method: 'POST', url, as: lead, payload });
      expect(response.statusCode, `${url} ${JSON.stringify(payload).slice(0, 80)}`).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const hostile = await request({
      method: 'POST',
      url: '/v1/hearings/%E2%80%AE/answer',
      as: watchdogAdmin,
      payload: { answer: 'x' },
    });
    expect(hostile.statusCode).toBe(400);
  });
});
