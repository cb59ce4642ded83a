import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceClockMarks } from '../../src/notices/clock-job.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { badBodies, eventTypes, expectProblem, HOUR, submitNotice, view } from '../support/channel.ts';

/** TCO Art. 3(7)-(8): impossibility pauses the clock; "impossible for good" is final. */
let app: TestApp;
let analyst: Caller;
let reviewer: Caller;

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload: object) => app.request({ method: 'POST', url, as, payload });

describe('declaring a notice impossible to carry out', () => {
  it('pauses its clock, and the notifier’s answer resumes it with the time that was left', async () => {
    const { notice_id, deadline } = await submitNotice(app, analyst, '@impossible_pause_channel');
    app.clock.advance(HOUR);
    const declared = await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
      reason: 'manifest_errors',
      explanation: 'The link names a channel that has never existed; please check the username.',
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const paused = await view(app, notice_id, analyst);
    expect(paused).toMatchObject({
      status: 'impossibility_declared',
      clock: { state: 'paused', paused: true },
    });
    expect(paused.impossibility.open).toMatchObject({ reason: 'manifest_errors', resolved_at: null });
    expect(paused.clock.pauses[0].reason).toBe('impossibility:manifest_errors');

    // Paused, the clock is not breached however long the notifier takes.
    app.clock.advance(5 * HOUR);
    await announceClockMarks(app.ctx.db, app.clock());
    expect(await eventTypes(app, notice_id, analyst)).not.toContain('notice.clock.breached');

    const answered = await post(`/v1/notices/${notice_id}/impossibility-answer`, analyst, {
      answer: 'Corrected: the channel is @impossible_pause_channel2, see the screenshot.',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const after = await view(app, notice_id, analyst);
    expect(after.status).toBe('in_review');
    expect(after.clock.paused).toBe(false);
    expect(new Date(after.deadline).getTime() - new Date(deadline).getTime()).toBe(5 * HOUR);
    expect(after.impossibility.open).toBeNull();
    expect(after.impossibility.declarations[0]).toMatchObject({
      reason: 'manifest_errors',
      resolved_by: 'notifier',
    });
    expect(await eventTypes(app, notice_id, analyst)).toEqual(
      expect.arrayContaining(['notice.impossibility_declared', 'notice.impossibility_answered']),
    );
    const thread = (
      await app.request({ method: 'GET', url: `/v1/notices/${notice_id}/thread`, as: analyst })
    ).json();
    expect(thread.items.map((m: { kind: string }) => m.kind)).toEqual([
      'impossibility_declared',
      'impossibility_answer',
    ]);
  });

  it('for force majeure, resumes when the platform says the obstacle has ceased', async () => {
    const { notice_id, deadline } = await submitNotice(app, analyst, '@impossible_force_majeure');
    await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
      reason: 'force_majeure',
      explanation: 'A data-centre outage outside our control stops the moderation API.',
    });
    app.clock.advance(2 * HOUR);
    const ended = await post(`/v1/notices/${notice_id}/impossibility-ended`, reviewer, {
      explanation: 'The moderation API is back.',
    });
    expect(ended.statusCode, ended.body).toBe(201);
    const after = await view(app, notice_id, analyst);
    expect(after.clock.paused).toBe(false);
    expect(new Date(after.deadline).getTime() - new Date(deadline).getTime()).toBe(2 * HOUR);
    expect(after.impossibility.declarations[0].resolved_by).toBe('platform');
    expect(await eventTypes(app, notice_id, analyst)).toContain('notice.impossibility_ended');
  });

  it('impossible for good is a separate, final outcome with its reasons', async () => {
    const { notice_id } = await submitNotice(app, analyst, '@impossible_for_good');
    await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
      reason: 'de_facto_impossibility',
      explanation: 'The content is in an end-to-end encrypted chat we cannot reach.',
    });
    const final = await post(`/v1/notices/${notice_id}/impossible-for-good`, reviewer, {
      reason: 'de_facto_impossibility',
      explanation: 'We cannot reach end-to-end encrypted chats, and no answer changes that.',
    });
    expect(final.statusCode, final.body).toBe(201);
    const after = await view(app, notice_id, analyst);
    expect(after).toMatchObject({ status: 'impossible', clock: { state: 'stopped' } });
    expect(after.targets[0].outcome).toBe('impossible');
    expect(after.impossibility.for_good).toMatchObject({ reason: 'de_facto_impossibility' });
    expect(after.clock.pauses.every((p: { resumed_at: string | null }) => p.resumed_at !== null)).toBe(true);
    // Final: nothing to answer any more.
    const late = await post(`/v1/notices/${notice_id}/impossibility-answer`, analyst, {
      answer: 'Too late.',
    });
    expectProblem(late, 409);
    expect(await eventTypes(app, notice_id, analyst)).toContain('notice.impossible');
  });

  it('is for the platform to declare, one at a time, and only the notifier answers', async () => {
    const { notice_id } = await submitNotice(app, analyst, '@impossible_who');
    expectProblem(
      await post(`/v1/notices/${notice_id}/impossible`, analyst, {
        reason: 'manifest_errors',
        explanation: 'Not mine to say.',
      }),
      403,
    );
    // Nothing declared yet: nothing to answer.
    expectProblem(await post(`/v1/notices/${notice_id}/impossibility-answer`, analyst, { answer: 'x' }), 409);
    await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
      reason: 'insufficient_information',
      explanation: 'Which message in the channel?',
    });
    expectProblem(
      await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
        reason: 'manifest_errors',
        explanation: 'Again.',
      }),
      409,
    );
    expectProblem(
      await post(`/v1/notices/${notice_id}/clarification-requests`, reviewer, {
        question: 'And a question?',
      }),
      409,
    );
    // A clarification answer does not answer an impossibility.
    expectProblem(await post(`/v1/notices/${notice_id}/clarification`, analyst, { answer: 'x' }), 409);
    expectProblem(
      await post(`/v1/notices/${notice_id}/impossibility-answer`, reviewer, { answer: 'x' }),
      403,
    );
  });
});

describe('the impossibility routes', () => {
  it('answer bad input with problem+json and write nothing', async () => {
    const { notice_id } = await submitNotice(app, analyst, '@impossible_bad_input');
    expectProblem(
      await post(`/v1/notices/${notice_id}/impossible`, reviewer, {
        reason: 'not_our_service',
        explanation: 'A final reason cannot pause the clock.',
      }),
      400,
      '/reason',
    );
    const routes: [string, Caller, Record<string, unknown>, string][] = [
      ['impossible', reviewer, { reason: 'force_majeure', explanation: 'Outage.' }, 'explanation'],
      ['impossibility-answer', analyst, { answer: 'Corrected.' }, 'answer'],
      ['impossibility-ended', reviewer, { explanation: 'Back.' }, 'explanation'],
      ['impossible-for-good', reviewer, { reason: 'other', explanation: 'Never.' }, 'explanation'],
    ];
    for (const [route, as, good, field] of routes) {
      for (const [name, body] of badBodies(good, field)) {
        const response = await post(`/v1/notices/${notice_id}/${route}`, as, body);
        expect(response.statusCode, `${route}: ${name}`).toBe(400);
        expectProblem(response, 400);
      }
      expectProblem(await post(`/v1/notices/not-a-uuid/${route}`, as, good), 400);
    }
    const after = await view(app, notice_id, analyst);
    expect(after).toMatchObject({ status: 'received', clock: { paused: false } });
    expect(after.impossibility).toEqual({ open: null, declarations: [], for_good: null });
  });
});
