import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReveal } from '../../src/welfare/reveals.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { PDF, png, postMultipart, uploadEvidence } from '../support/uploads.ts';

let app: TestApp;
let analyst: Caller;
let reviewer: Caller;
let lead: Caller;
let auditor: Caller;
let caseId: string;
let noticeId: string;
let media: { id: string }[];
let reviewerId: string;
let letter: { id: string };

const LIMIT = 4;
const HOUR = 3_600_000;

beforeAll(async () => {
  // Saturday 28 November 2026, 08:00 UTC.
  app = await createTestApp({ env: { TAPIS_EXPOSURE_LIMIT_PER_DAY: String(LIMIT) } });
  await login();
  const submitted = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets: ['@exposure_channel'],
      category: 'terrorism',
      explanation: 'Synthetic notice for the welfare tests.',
      good_faith: true,
    },
  });
  noticeId = submitted.json().notice_id;
  caseId = submitted.json().targets[0].case_id;
  const files = await Promise.all(
    ['#100000', '#200000', '#300000', '#400000', '#500000'].map(async (c, i) => ({
      name: `m${i}.png`,
      data: await png(c),
    })),
  );
  const uploaded = await uploadEvidence(app, analyst, noticeId, [
    ...files,
    { name: 'letter.pdf', data: PDF },
  ]);
  media = uploaded.slice(0, 5);
  letter = uploaded[5]!;
  expect(letter).toMatchObject({ content_type: 'application/pdf' });
  reviewerId = await me(reviewer);
});
afterAll(() => app.close());

async function login() {
  analyst = await app.loginAs('analis@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
  lead = await app.loginAs('lead@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
}
const reveal = (id: string, as: Caller = reviewer, objectType = 'evidence', onCase = caseId) =>
  app.request({
    method: 'POST',
    url: `/v1/cases/${onCase}/reveal`,
    as,
    payload: { object_type: objectType, object_id: id },
  });
const workload = async () =>
  (await app.request({ method: 'GET', url: '/v1/reviewers/workload', as: lead })).json();
const me = async (as: Caller) =>
  (await app.request({ method: 'GET', url: '/v1/me', as })).json().id as string;

describe('exposure', () => {
  it('counts each media item a reviewer reveals once a day, and not letters', async () => {
    const first = await reveal(media[0]!.id);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      object_type: 'evidence',
      content_type: 'image/png',
      exposure: {
        day: '2026-11-28',
        exposure_today: 1,
        limit: LIMIT,
        remaining: 3,
        limit_reached: false,
        break_prompt: null,
      },
    });
    expect((await reveal(media[0]!.id)).json().exposure.exposure_today).toBe(1);
    expect((await reveal(letter.id)).json().exposure.exposure_today).toBe(1);
    expect((await reveal(media[2]!.id)).json().exposure).toMatchObject({
      exposure_today: 2,
      break_prompt: null,
    });
    // Three quarters of the limit: the desk suggests a break.
    const third = (await reveal(media[1]!.id)).json().exposure;
    expect(third.exposure_today).toBe(3);
    expect(third.break_prompt).toMatch(/short break/);
    const reached = (await reveal(media[3]!.id)).json().exposure;
    expect(reached).toMatchObject({ exposure_today: 4, remaining: 0, limit_reached: true });
    expect(reached.break_prompt).toMatch(/limit/);

    // Every reveal is recorded, counted or not, and each is a case event in the audit chain.
    const rows = await app.ctx.db
      .selectFrom('reveals')
      .select(['object_id', 'counted'])
      .where('reviewer_id', '=', reviewerId)
      .execute();
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => !r.counted).map((r) => r.object_id)).toEqual([letter.id]);
    const events = await app.ctx.db
      .selectFrom('case_events')
      .select('type')
      .where('case_id', '=', caseId)
      .where('type', '=', 'content_revealed')
      .execute();
    expect(events).toHaveLength(6);
    const audited = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', caseId)
      .where('action', '=', 'case.content_revealed')
      .execute();
    expect(audited).toHaveLength(6);
  });

  it('refuses new media past the limit until the next UTC day, and still shows what was seen today', async () => {
    const refused = await reveal(media[4]!.id);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    // 08:00 UTC: sixteen hours to midnight.
    expect(refused.headers['retry-after']).toBe(String(16 * 3600));
    expect(refused.json()).toMatchObject({
      exposure_today: 4,
      limit: LIMIT,
      resets_at: '2026-11-29T00:00:00.000Z',
    });
    expect(refused.json().detail).toMatch(/take a break/);
    expect((await reveal(media[0]!.id)).statusCode).toBe(200);
    expect((await reveal(letter.id)).statusCode).toBe(200);
  });

  it('is counted per reviewer', async () => {
    const byLead = await reveal(media[3]!.id, lead);
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json().exposure.exposure_today).toBe(1);
  });

  it('counts preserved content, and downloads through the shared function, toward the same limit', async () => {
    const deposited = await postMultipart(
      app,
      `/v1/cases/${caseId}/preserved-content`,
      lead,
      [{ name: 'capture.png', data: await png('#600000') }],
      { description: 'Captured image' },
    );
    expect(deposited.statusCode).toBe(201);
    const id = deposited.json().id;
    expect((await reveal(id, reviewer, 'preserved_content')).statusCode).toBe(429);
    expect(
      (await app.request({ method: 'GET', url: `/v1/preserved-content/${id}`, as: reviewer })).statusCode,
    ).toBe(429);
    const download = await app.request({ method: 'GET', url: `/v1/preserved-content/${id}`, as: lead });
    expect(download.statusCode).toBe(200);
    expect(download.headers['x-exposure-today']).toBe('2');
    // What the evidence download route records (src/notices/ calls recordReveal).
    const leadActor = { type: 'user', id: await me(lead), orgKind: 'platform' } as Parameters<
      typeof recordReveal
    >[1];
    const exposure = await recordReveal(
      app.ctx.db,
      leadActor,
      { objectType: 'evidence', objectId: media[4]!.id, caseId: null, contentType: 'image/png' },
      LIMIT,
      app.clock(),
    );
    expect(exposure).toMatchObject({ exposure_today: 3, limit_reached: false });
    const flaggerActor = { ...leadActor, orgKind: 'government' } as Parameters<typeof recordReveal>[1];
    expect(
      await recordReveal(
        app.ctx.db,
        flaggerActor,
        { objectType: 'evidence', objectId: media[4]!.id, caseId: null, contentType: 'image/png' },
        LIMIT,
        app.clock(),
      ),
    ).toBeNull();
  });

  it('refuses an item that is not the case’s', async () => {
    const other = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      payload: {
        targets: ['@another_exposure_channel'],
        category: 'terrorism',
        explanation: 'Synthetic notice for the welfare tests.',
        good_faith: true,
      },
    });
    const response = await reveal(media[0]!.id, reviewer, 'evidence', other.json().targets[0].case_id);
    expect(response.statusCode).toBe(404);
  });

  it('starts again the next day', async () => {
    app.clock.set('2026-11-29T00:00:01Z');
    await login();
    const next = await reveal(media[4]!.id);
    expect(next.statusCode).toBe(200);
    expect(next.json().exposure).toMatchObject({ day: '2026-11-29', exposure_today: 1 });
  });

  it('lets only as many of several reveals at once through as the limit leaves', async () => {
    const answers = await Promise.all(media.slice(0, 4).map((m) => reveal(m.id)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(LIMIT - 1);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(1);
  });
});

describe('workload', () => {
  it('shows leads each reviewer’s cases held, decisions today and this week, reveals against the limit and last activity', async () => {
    // Monday 30 November: the reviewer decides one case, then on Tuesday decides another and holds a third.
    app.clock.set('2026-11-30T09:00:00Z');
    await login();
    const submit = async (target: string) =>
      (
        await app.request({
          method: 'POST',
          url: '/v1/notices',
          as: analyst,
          payload: {
            targets: [target],
            category: 'terrorism',
            explanation: 'Synthetic notice for the workload test.',
            good_faith: true,
          },
        })
      ).json().targets[0].case_id as string;
    const decide = async (id: string) => {
      expect(
        (await app.request({ method: 'POST', url: `/v1/cases/${id}/claim`, as: reviewer })).statusCode,
      ).toBe(200);
      const decided = await app.request({
        method: 'POST',
        url: `/v1/cases/${id}/decisions`,
        as: reviewer,
        payload: { outcome: 'no_action', facts: 'Synthetic: not terrorist content.' },
      });
      expect(decided.statusCode).toBe(201);
    };
    await decide(await submit('@workload_monday'));
    app.clock.set('2026-12-01T10:00:00Z');
    await login();
    await decide(await submit('@workload_tuesday'));
    const held = await submit('@workload_held');
    expect(
      (await app.request({ method: 'POST', url: `/v1/cases/${held}/claim`, as: reviewer })).statusCode,
    ).toBe(200);
    app.clock.advance(HOUR / 60);
    expect((await reveal(media[0]!.id)).statusCode).toBe(200);

    const view = await workload();
    expect(view).toMatchObject({
      day: '2026-12-01',
      week_start: '2026-11-30T00:00:00.000Z',
      exposure_limit: LIMIT,
    });
    const mine = view.reviewers.find((r: { reviewer_id: string }) => r.reviewer_id === reviewerId);
    expect(mine).toMatchObject({
      cases_held: 1,
      decisions_today: 1,
      decisions_this_week: 2,
      reveals_today: 1,
      exposure_limit: LIMIT,
      exposure_limit_reached: false,
      last_activity_at: app.clock().toISOString(),
    });
    // Flaggers' users are not reviewers; auditors read it too, reviewers do not.
    expect(view.reviewers.every((r: { roles: string[] }) => !r.roles.includes('flagger'))).toBe(true);
    expect(
      (await app.request({ method: 'GET', url: '/v1/reviewers/workload', as: auditor })).statusCode,
    ).toBe(200);
    expect(
      (await app.request({ method: 'GET', url: '/v1/reviewers/workload', as: reviewer })).statusCode,
    ).toBe(403);
  });
});
