import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDeadlineMarks } from '../../src/deadlines/deadline-job.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { badBodies, decideCase, eventsOf, expectProblem, HOUR, submitNotice } from '../support/channel.ts';

/** DSA Art. 20(4): every appeal has a deadline from the SOP policy, and its marks are announced. */
let app: TestApp;
let analyst: Caller;
let peninjau: Caller;
let penelaah: Caller;
let lead: Caller;
let auditor: Caller;
let admin: Caller;

async function logInAll() {
  analyst = await app.loginAs('analis@komdigi.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  penelaah = await app.loginAs('penelaah@platform.example');
  lead = await app.loginAs('lead@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
  admin = await app.loginAs('admin@platform.example');
}

beforeAll(async () => {
  app = await createTestApp();
  await logInAll();
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload: object) => app.request({ method: 'POST', url, as, payload });
const get = (url: string, as: Caller) => app.request({ method: 'GET', url, as });

async function appealed(target: string) {
  const receipt = await submitNotice(app, analyst, target);
  const caseId = receipt.targets[0]!.case_id;
  await decideCase(app, caseId, peninjau, { outcome: 'no_action' });
  const lodged = await post(`/v1/notices/${receipt.notice_id}/appeals`, analyst, {
    grounds: 'Synthetic appeal: the channel recruits openly.',
  });
  expect(lodged.statusCode, lodged.body).toBe(201);
  return { noticeId: receipt.notice_id, caseId, appeal: lodged.json().items[0] };
}

describe('the appeal clock', () => {
  it('gives each appeal a deadline from the SOP policy, shown in the appeal, the queue and the case file', async () => {
    const start = app.clock().getTime();
    const { caseId, appeal } = await appealed('@appeal_clock_view');
    // The default policy: 72 hours to decide an appeal.
    expect(new Date(appeal.due_at).getTime() - start).toBe(72 * HOUR);
    const one = (await get(`/v1/appeals/${appeal.appeal_id}`, auditor)).json();
    expect(one).toMatchObject({
      id: appeal.appeal_id,
      status: 'open',
      due_at: appeal.due_at,
      deadline: { state: 'running', hours: 72, stopped_at: null },
    });
    const queued = (await get('/v1/appeals', penelaah))
      .json()
      .items.find((a: { id: string }) => a.id === appeal.appeal_id);
    expect(queued).toMatchObject({ due_at: appeal.due_at, deadline: { state: 'running' } });
    const file = (await get(`/v1/cases/${caseId}`, lead)).json();
    expect(file.appeals).toEqual([
      expect.objectContaining({
        id: appeal.appeal_id,
        deadline: expect.objectContaining({ state: 'running' }),
      }),
    ]);
  });

  it('announces at risk and breached like a notice’s clock, and stops when the appeal is decided', async () => {
    const { noticeId, caseId, appeal } = await appealed('@appeal_clock_marks');
    app.clock.advance(37 * HOUR);
    await logInAll();
    await announceDeadlineMarks(app.ctx.db, app.clock());
    expect((await get(`/v1/appeals/${appeal.appeal_id}`, auditor)).json().deadline.state).toBe('at_risk');
    app.clock.advance(36 * HOUR);
    await logInAll();
    await announceDeadlineMarks(app.ctx.db, app.clock());
    // Once each: a second pass announces nothing again.
    await announceDeadlineMarks(app.ctx.db, app.clock());
    const told = (await eventsOf(app, noticeId, analyst)).filter((e) =>
      e.type.startsWith('notice.deadline.'),
    );
    expect(told.map((e) => [e.type, e.data.share])).toEqual([
      ['notice.deadline.at_risk', 0.5],
      ['notice.deadline.at_risk', 0.8],
      ['notice.deadline.breached', 1],
    ]);
    expect(told[2]!.data).toMatchObject({ subject_type: 'appeal', subject_id: appeal.appeal_id });
    const caseEvents = (await get(`/v1/cases/${caseId}`, lead))
      .json()
      .events.map((e: { type: string }) => e.type);
    expect(caseEvents.filter((t: string) => t === 'deadline_at_risk')).toHaveLength(2);
    expect(caseEvents).toContain('deadline_breached');
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', appeal.appeal_id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('appeal.deadline_breached');
    expect(
      (await get('/v1/appeals', penelaah)).json().items.find((a: { id: string }) => a.id === appeal.appeal_id)
        .deadline.state,
    ).toBe('breached');

    expect((await post(`/v1/appeals/${appeal.appeal_id}/claim`, penelaah, {})).statusCode).toBe(200);
    const decided = await post(`/v1/appeals/${appeal.appeal_id}/decision`, penelaah, {
      outcome: 'rejected',
      reasons: 'Synthetic: the decision stands.',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await get(`/v1/appeals/${appeal.appeal_id}`, auditor)).json()).toMatchObject({
      status: 'decided',
      deadline: { state: 'stopped' },
    });
  });

  it('follows the SOP policy in force', async () => {
    const policy = (await get('/v1/policy', admin)).json();
    const changed = await app.request({
      method: 'PUT',
      url: '/v1/policy',
      as: admin,
      payload: {
        document: { ...policy.document, appeal_deadline_hours: 48 },
        note: 'Synthetic: faster appeals',
      },
    });
    expect(changed.statusCode, changed.body).toBe(201);
    const start = app.clock().getTime();
    const { appeal } = await appealed('@appeal_clock_policy');
    expect(new Date(appeal.due_at).getTime() - start).toBe(48 * HOUR);
    const refused = await app.request({
      method: 'PUT',
      url: '/v1/policy',
      as: admin,
      payload: { document: { ...policy.document, appeal_deadline_hours: -1 }, note: 'Synthetic: negative' },
    });
    expectProblem(refused, 400);
  });

  it('reads an appeal only with the right, and answers bad input with problem+json', async () => {
    expectProblem(await get('/v1/appeals/not-a-uuid', auditor), 400);
    expectProblem(await get('/v1/appeals/00000000-0000-7000-8000-000000000000', auditor), 404);
    expectProblem(await get('/v1/appeals/00000000-0000-7000-8000-000000000000', analyst), 403);
    expectProblem(await get('/v1/appeals/00000000-0000-7000-8000-000000000000?x=1', auditor), 400);
    const { noticeId } = await appealed('@appeal_clock_bad_input');
    for (const [name, body] of badBodies({ grounds: 'Grounds.' }, 'grounds')) {
      const response = await post(`/v1/notices/${noticeId}/appeals`, analyst, body);
      expect(response.statusCode, name).toBe(400);
    }
  });
});
