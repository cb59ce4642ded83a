import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDeadlineMarks } from '../../src/deadlines/deadline-job.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import {
  badBodies,
  decideCase,
  eventsOf,
  expectProblem,
  HOUR,
  submitNotice,
  view,
} from '../support/channel.ts';

/** Objections (SAMAN "sanggah"): reopened for a different reviewer, with a deadline, answered with reasons. */
let app: TestApp;
let analyst: Caller;
let ngo: Caller;
let peninjau: Caller;
let penelaah: Caller;
let englishOnly: Caller;
let lead: Caller;
let auditor: Caller;

/** Sessions run out while the test clock moves days ahead: everyone logs in again. */
async function logInAll() {
  analyst = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  penelaah = await app.loginAs('penelaah@platform.example');
  englishOnly = await app.loginAs('reviewer@platform.example');
  lead = await app.loginAs('lead@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
}

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  penelaah = await app.loginAs('penelaah@platform.example');
  englishOnly = await app.loginAs('reviewer@platform.example');
  lead = await app.loginAs('lead@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload: object) => app.request({ method: 'POST', url, as, payload });
const get = (url: string, as: Caller) => app.request({ method: 'GET', url, as });

/** A notice decided `no_action` by peninjau, and the notifier's objection to it. */
async function objected(target: string) {
  const receipt = await submitNotice(app, analyst, target);
  const caseId = receipt.targets[0]!.case_id;
  await decideCase(app, caseId, peninjau, { outcome: 'no_action' });
  const lodged = await post(`/v1/notices/${receipt.notice_id}/objections`, analyst, {
    grounds: 'Sanggah: the channel still recruits, see message 12.',
  });
  expect(lodged.statusCode, lodged.body).toBe(201);
  return {
    noticeId: receipt.notice_id,
    caseId,
    objectionId: lodged.json().objection_id as string,
    lodged: lodged.json(),
  };
}

describe('an objection', () => {
  it('goes to a reviewer who did not make the decision, routed by jurisdiction and language, with its own deadline', async () => {
    const start = app.clock().getTime();
    const { noticeId, caseId, objectionId, lodged } = await objected('@objection_routed');
    // The SOP policy's default: 24 hours to answer.
    expect(new Date(lodged.due_at).getTime() - start).toBe(24 * HOUR);
    expect((await view(app, noticeId, analyst)).status).toBe('objected');

    const queueOf = async (as: Caller) =>
      ((await get('/v1/objections', as)).json().items as { id: string }[]).map((o) => o.id);
    expect(await queueOf(peninjau)).not.toContain(objectionId);
    expect(await queueOf(englishOnly)).not.toContain(objectionId);
    expect(await queueOf(penelaah)).toContain(objectionId);
    const listed = (await get('/v1/objections', penelaah))
      .json()
      .items.find((o: { id: string }) => o.id === objectionId);
    expect(listed).toMatchObject({ status: 'open', may_answer: true, deadline: { state: 'running' } });

    const answer = {
      outcome: 'maintained',
      reasons: 'The channel was reviewed again: message 12 is news reporting.',
    };
    expectProblem(await post(`/v1/objections/${objectionId}/answer`, peninjau, answer), 403);
    expectProblem(await post(`/v1/objections/${objectionId}/answer`, englishOnly, answer), 403);

    const file = (await get(`/v1/cases/${caseId}`, lead)).json();
    expect(file.objections).toEqual([
      expect.objectContaining({
        id: objectionId,
        status: 'open',
        deadline: expect.objectContaining({ state: 'running' }),
      }),
    ]);
    expect(file.events.map((e: { type: string }) => e.type)).toContain('objection_received');

    // At risk past half of its time: the notifier hears it, the desk sees it on the case.
    app.clock.advance(13 * HOUR);
    await logInAll();
    expect(await announceDeadlineMarks(app.ctx.db, app.clock())).toBeGreaterThan(0);
    expect((await eventsOf(app, noticeId, analyst)).map((e) => e.type)).toContain('notice.deadline.at_risk');
    expect(
      (await get(`/v1/cases/${caseId}`, lead)).json().events.map((e: { type: string }) => e.type),
    ).toContain('deadline_at_risk');

    const answered = await post(`/v1/objections/${objectionId}/answer`, penelaah, answer);
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ outcome: 'maintained', notice_status: 'no_action' });
    const after = await view(app, noticeId, analyst);
    expect(after.status).toBe('no_action');
    expect(after.objections[0]).toMatchObject({
      status: 'answered',
      outcome: 'maintained',
      answer: answer.reasons,
      deadline: { state: 'stopped' },
    });
    const thread = (await get(`/v1/notices/${noticeId}/thread`, analyst)).json().items;
    expect(thread.at(-1)).toMatchObject({ side: 'platform', kind: 'objection_answer', body: answer.reasons });
    const told = (await eventsOf(app, noticeId, analyst)).find((e) => e.type === 'notice.objection_answered');
    expect(told?.data).toMatchObject({
      objection_id: objectionId,
      outcome: 'maintained',
      reasons: answer.reasons,
    });
    // Answered once.
    expectProblem(await post(`/v1/objections/${objectionId}/answer`, penelaah, answer), 409);
  });

  it('reopened, sends the case back to the queue for a new decision', async () => {
    const { noticeId, caseId, objectionId } = await objected('@objection_reopened');
    const answered = await post(`/v1/objections/${objectionId}/answer`, penelaah, {
      outcome: 'reopened',
      reasons: 'You are right: the case will be decided again.',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const file = (await get(`/v1/cases/${caseId}`, lead)).json();
    expect(file).toMatchObject({ status: 'open', outcome: null, decision_id: null });
    expect(file.events.at(-1)).toMatchObject({
      type: 'objection_reopened',
      from_status: 'closed',
      to_status: 'open',
    });
    expect((await view(app, noticeId, analyst)).status).toBe('in_review');
    const queue = (await get('/v1/queue', penelaah)).json().items.map((c: { case_id: string }) => c.case_id);
    expect(queue).toContain(caseId);
  });

  it('whose deadline passes is announced as breached and audited', async () => {
    const { noticeId, objectionId } = await objected('@objection_breached');
    app.clock.advance(25 * HOUR);
    await announceDeadlineMarks(app.ctx.db, app.clock());
    await logInAll();
    expect((await eventsOf(app, noticeId, analyst)).map((e) => e.type)).toContain('notice.deadline.breached');
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_id', '=', objectionId)
      .execute();
    expect(audit.map((a) => a.action)).toContain('objection.deadline_breached');
  });

  it('is one at a time, its notifier’s own, and answers bad input with problem+json', async () => {
    const { noticeId, objectionId } = await objected('@objection_bad_input');
    expectProblem(await post(`/v1/notices/${noticeId}/objections`, analyst, { grounds: 'And again.' }), 409);
    expectProblem(await get(`/v1/objections/${objectionId}`, ngo), 404);
    expect((await get(`/v1/objections/${objectionId}`, analyst)).json()).toMatchObject({
      status: 'open',
      may_answer: false,
    });
    expect((await get(`/v1/objections/${objectionId}`, auditor)).statusCode).toBe(200);
    expectProblem(
      await post(`/v1/notices/${noticeId}/objections`, analyst, { grounds: 'x', target_indexes: [5] }),
      400,
    );
    for (const [name, body] of badBodies({ outcome: 'maintained', reasons: 'Reasons.' }, 'reasons')) {
      const response = await post(`/v1/objections/${objectionId}/answer`, penelaah, body);
      expect(response.statusCode, name).toBe(400);
      expectProblem(response, 400);
    }
    for (const [name, body] of badBodies({ grounds: 'Grounds.' }, 'grounds')) {
      const response = await post(`/v1/notices/${noticeId}/objections`, analyst, body);
      expect(response.statusCode, name).toBe(400);
    }
    expectProblem(
      await post(`/v1/objections/${objectionId}/answer`, penelaah, { outcome: 'overturned', reasons: 'x' }),
      400,
      '/outcome',
    );
    expectProblem(await get('/v1/objections?limit=0', penelaah), 400);
    expectProblem(await get('/v1/objections/not-a-uuid', penelaah), 400);
    expectProblem(
      await post('/v1/objections/00000000-0000-7000-8000-000000000000/answer', penelaah, {
        outcome: 'maintained',
        reasons: 'x',
      }),
      404,
    );
    expect((await get(`/v1/objections/${objectionId}`, analyst)).json().status).toBe('open');
  });
});
