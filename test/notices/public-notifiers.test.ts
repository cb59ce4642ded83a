import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * DSA Art. 23(2) for members of the public: one person who sends manifestly unfounded notices
 * through the public form is warned, then their notices are refused for a period. They are
 * known by the e-mail they give (kept hashed), so everyone else who uses the form is not
 * affected, although all public notices share one organisation.
 */
let app: TestApp;
let lead: Caller;
let reviewer: Caller;
let address = 0;

const ABUSER = 'Abuser.Synthetic@example.org';

beforeAll(async () => {
  app = await createTestApp();
  lead = await app.loginAs('lead@platform.example');
  reviewer = await app.loginAs('peninjau@platform.example');
});
afterAll(() => app?.close());

const publicNotice = (email: string, target: string) =>
  app.request({
    method: 'POST',
    url: '/v1/public/notices',
    remoteAddress: `198.51.100.${++address}`,
    payload: {
      targets: [target],
      category: 'terrorism',
      explanation: 'Synthetic public notice for the abusive-notifier test.',
      good_faith: true,
      notifier: { name: 'Synthetic Person', email },
    },
  });

const measure = (path: string, body: unknown, as: Caller = lead) =>
  app.request({ method: 'POST', url: `/v1/public-notifiers/${path}`, as, payload: body as object });

describe('an abusive member of the public', () => {
  it('is warned, then suspended for a period: the public form refuses their notices only, until it ends', async () => {
    const first = await publicNotice(ABUSER, '@abuse_first_channel');
    expect(first.statusCode, first.body).toBe(201);
    const noticeId = first.json().notice_id;
    const until = new Date(app.clock().getTime() + 7 * 86_400_000).toISOString();

    // No suspension before a warning.
    const early = await measure('suspensions', {
      notice_id: noticeId,
      reason: 'Synthetic: unfounded.',
      until,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('DSA Art. 23(2)');

    const warned = await measure('warnings', {
      notice_id: noticeId,
      reason: 'Synthetic: ten unfounded notices.',
    });
    expect(warned.statusCode, warned.body).toBe(201);
    // The next receipt carries the warning (the same person, whatever the letter case).
    const next = await publicNotice(ABUSER.toLowerCase(), '@abuse_second_channel');
    expect(next.statusCode).toBe(201);
    expect(next.json().warning).toEqual({
      reason: 'Synthetic: ten unfounded notices.',
      at: warned.json().at,
    });

    const suspended = await measure('suspensions', {
      notice_id: noticeId,
      reason: 'Synthetic: went on.',
      until,
    });
    expect(suspended.statusCode, suspended.body).toBe(201);
    const refused = await publicNotice(ABUSER, '@abuse_third_channel');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().detail).toContain(`suspended until ${until}`);
    expect(refused.json().suspended_until).toBe(until);

    // Someone else on the same form is not affected, nor is the public organisation.
    expect((await publicNotice('someone.else@example.org', '@abuse_other_person')).statusCode).toBe(201);

    const history = await app.request({
      method: 'GET',
      url: `/v1/public-notifiers/measures?notice_id=${noticeId}`,
      as: lead,
    });
    expect(history.json().items.map((m: { kind: string }) => m.kind)).toEqual(['warning', 'suspension']);
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'public_notifier.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'public_notifier.suspended',
      'public_notifier.warned',
    ]);

    // When the period ends, their notices are taken again.
    app.clock.advance(7 * 86_400_000 + 1000);
    expect((await publicNotice(ABUSER, '@abuse_after_period')).statusCode).toBe(201);
  });

  it('is measured by leads only, from a named public notice, and bad input is a problem', async () => {
    // Sessions from before the first test's week have expired.
    lead = await app.loginAs('lead@platform.example');
    reviewer = await app.loginAs('peninjau@platform.example');
    const sent = await publicNotice('other.synthetic@example.org', '@abuse_input_channel');
    const noticeId = sent.json().notice_id;
    expect(
      (await measure('warnings', { notice_id: noticeId, reason: 'Synthetic.' }, reviewer)).statusCode,
    ).toBe(403);
    // A notifier organisation's notice is not a member of the public's.
    const analyst = await app.loginAs('analis@komdigi.example');
    const org = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      payload: {
        targets: ['@abuse_org_channel'],
        category: 'terrorism',
        explanation: 'Synthetic organisation notice.',
        good_faith: true,
      },
    });
    const orgNotice = await measure('warnings', { notice_id: org.json().notice_id, reason: 'Synthetic.' });
    expect(orgNotice.statusCode).toBe(400);
    expect(orgNotice.json().errors[0].pointer).toBe('/notice_id');
    const cases = [
      { notice_id: 'not-a-uuid', reason: 'Synthetic.' },
      { notice_id: noticeId, reason: 'Synthetic.', email: 'x@example.org' },
      { notice_id: noticeId, reason: 'x'.repeat(10_001) },
      { notice_id: noticeId, reason: '   ' },
    ];
    for (const body of cases) {
      const response = await measure('warnings', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(
      (await measure('warnings', { notice_id: '00000000-0000-4000-8000-000000000000', reason: 'Synthetic.' }))
        .statusCode,
    ).toBe(404);
    await measure('warnings', { notice_id: noticeId, reason: 'Synthetic \u202e\u0000 reason.' }).then((r) =>
      expect(r.statusCode).toBe(400),
    );
    const past = await measure('suspensions', {
      notice_id: noticeId,
      reason: 'Synthetic.',
      until: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].pointer).toBe('/until');
    const malformed = await app.request({
      method: 'POST',
      url: '/v1/public-notifiers/warnings',
      as: lead,
      headers: { 'content-type': 'application/json' },
      payload: '{"notice_id":',
    });
    expect(malformed.statusCode).toBe(400);
  });
});
