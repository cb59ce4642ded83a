import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDeadlineMarks } from '../../src/deadlines/deadline-job.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { badBodies, eventsOf, expectProblem, HOUR, submitNotice, view } from '../support/channel.ts';

/** SAMAN's escalation ladder on a breached order, for Indonesia. */
let app: TestApp;
let analyst: Caller;
let komdigiAdmin: Caller;
let reviewer: Caller;
let ngo: Caller;

async function logInAll() {
  analyst = await app.loginAs('analis@komdigi.example');
  komdigiAdmin = await app.loginAs('admin@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
  ngo = await app.loginAs('analyst@ngo.example');
}

beforeAll(async () => {
  app = await createTestApp();
  await logInAll();
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload: object) => app.request({ method: 'POST', url, as, payload });
const get = (url: string, as: Caller) => app.request({ method: 'GET', url, as });
const anOrder = {
  kind: 'order',
  legal_basis: 'UU No. 5 Tahun 2018',
  legal_references: [{ instrument: 'UU No. 5 Tahun 2018', provision: 'Pasal 13A' }],
  language: 'id',
  order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
};
const warning = (step: string, extra: Record<string, unknown> = {}) => ({
  step,
  reasons: `Synthetic ${step}: the order is not carried out.`,
  letter_reference: `B-${step}/KOMDIGI/2026`,
  ...extra,
});

describe('the escalation ladder', () => {
  it('moves a breached order along warnings and a fine to an access-blocking recommendation, each step dated, based and clocked, seen by both sides', async () => {
    const { notice_id, deadline } = await submitNotice(app, analyst, '@ladder_breached', anOrder);
    // Not breached yet: no warning.
    const early = await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('first_warning'));
    expectProblem(early, 409);
    expect(early.json().detail).toMatch(/not breached yet/);
    expect((await get(`/v1/notices/${notice_id}/escalation`, analyst)).json()).toMatchObject({
      applies: true,
      steps: [],
      next_step: 'first_warning',
      next_step_from: deadline,
    });

    app.clock.advance(5 * HOUR); // the 4-hour order is breached
    await logInAll();
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('second_warning', { fine: { amount: 1, currency: 'IDR' } }),
      ),
      409,
    );
    const first = await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('first_warning'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      step: 'first_warning',
      position: 1,
      legal_basis: expect.stringMatching(/Permenkominfo No. 5 Tahun 2020/),
      fine: null,
    });
    expect(new Date(first.json().due_at).getTime() - app.clock().getTime()).toBe(24 * HOUR);

    // The platform answers the step in the thread.
    const answer = await post(`/v1/notices/${notice_id}/escalation/${first.json().id}/answer`, reviewer, {
      body: 'Acknowledged; the channel is being reviewed now.',
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expectProblem(
      await post(`/v1/notices/${notice_id}/escalation/${first.json().id}/answer`, analyst, {
        body: 'Not mine.',
      }),
      403,
    );

    // The second warning needs the first's deadline to pass, and comes with a fine.
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('second_warning', { fine: { amount: 1, currency: 'IDR' } }),
      ),
      409,
    );
    app.clock.advance(25 * HOUR);
    await logInAll();
    await announceDeadlineMarks(app.ctx.db, app.clock());
    expectProblem(
      await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('second_warning')),
      400,
      '/fine',
    );
    const second = await post(
      `/v1/notices/${notice_id}/escalation`,
      komdigiAdmin,
      warning('second_warning', {
        fine: { amount: 500_000_000, currency: 'IDR' },
        legal_basis: 'PP 71/2019 Pasal 100',
      }),
    );
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({
      position: 2,
      legal_basis: 'PP 71/2019 Pasal 100',
      fine: { amount: 500_000_000, currency: 'IDR' },
    });

    app.clock.advance(25 * HOUR);
    await logInAll();
    const third = await post(
      `/v1/notices/${notice_id}/escalation`,
      analyst,
      warning('access_blocking_recommendation'),
    );
    expect(third.statusCode, third.body).toBe(201);
    expectProblem(
      await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('access_blocking_recommendation')),
      409,
    );

    for (const side of [analyst, reviewer]) {
      const ladder = (await get(`/v1/notices/${notice_id}/escalation`, side)).json();
      expect(ladder.steps.map((s: { step: string }) => s.step)).toEqual([
        'first_warning',
        'second_warning',
        'access_blocking_recommendation',
      ]);
      expect(ladder.steps[0]).toMatchObject({
        answered_at: expect.any(String),
        deadline: { state: 'breached' },
      });
      expect(ladder.next_step).toBeNull();
      expect((await view(app, notice_id, side)).escalation.steps).toHaveLength(3);
    }
    const types = (await eventsOf(app, notice_id, analyst)).map((e) => e.type);
    expect(types.filter((t) => t === 'notice.escalation_issued')).toHaveLength(3);
    expect(types).toContain('notice.escalation_answered');
    expect(types).toContain('notice.deadline.breached');
    const thread = (await get(`/v1/notices/${notice_id}/thread`, reviewer))
      .json()
      .items.map((m: { kind: string }) => m.kind);
    expect(thread).toEqual(['escalation_step', 'escalation_answer', 'escalation_step', 'escalation_step']);
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'change'])
      .where('object_id', '=', notice_id)
      .where('action', '=', 'notice.escalation_step')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => (a.change as { step: string; legal_basis: string }).step)).toEqual([
      'first_warning',
      'second_warning',
      'access_blocking_recommendation',
    ]);
    expect((audit[1]!.change as { legal_basis: string }).legal_basis).toBe('PP 71/2019 Pasal 100');
  });

  it('follows Indonesian orders only, issued by the ordering authority, and stops when the order is carried out', async () => {
    const notice = await submitNotice(app, analyst, '@ladder_not_order');
    app.clock.advance(5 * HOUR);
    await logInAll();
    expectProblem(
      await post(`/v1/notices/${notice.notice_id}/escalation`, analyst, warning('first_warning')),
      409,
    );
    expect((await get(`/v1/notices/${notice.notice_id}/escalation`, analyst)).json()).toMatchObject({
      applies: false,
      next_step: null,
    });

    const { notice_id, targets } = await submitNotice(app, analyst, '@ladder_settled', anOrder);
    app.clock.advance(5 * HOUR);
    await logInAll();
    expectProblem(await post(`/v1/notices/${notice_id}/escalation`, ngo, warning('first_warning')), 404);
    expectProblem(await post(`/v1/notices/${notice_id}/escalation`, reviewer, warning('first_warning')), 403);
    const first = await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('first_warning'));
    expect(first.statusCode, first.body).toBe(201);
    // The platform carries the order out: the ladder stops, its clock with it.
    const claim = await post(`/v1/cases/${targets[0]!.case_id}/claim`, reviewer, {});
    expect(claim.statusCode, claim.body).toBe(200);
    const decided = await post(`/v1/cases/${targets[0]!.case_id}/decisions`, reviewer, {
      outcome: 'no_action',
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const ladder = (await get(`/v1/notices/${notice_id}/escalation`, analyst)).json();
    expect(ladder.steps[0].deadline.state).toBe('stopped');
    expect(ladder.next_step).toBeNull();
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('second_warning', { fine: { amount: 1, currency: 'IDR' } }),
      ),
      409,
    );
  });

  it('answers bad input with problem+json and writes nothing', async () => {
    const { notice_id } = await submitNotice(app, analyst, '@ladder_bad_input', anOrder);
    app.clock.advance(5 * HOUR);
    await logInAll();
    for (const [name, body] of badBodies(warning('first_warning'), 'reasons')) {
      const response = await post(`/v1/notices/${notice_id}/escalation`, analyst, body);
      expect(response.statusCode, name).toBe(400);
      expectProblem(response, 400);
    }
    expectProblem(
      await post(`/v1/notices/${notice_id}/escalation`, analyst, warning('final_warning')),
      400,
      '/step',
    );
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('first_warning', { fine: { amount: -5, currency: 'IDR' } }),
      ),
      400,
    );
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('first_warning', { fine: { amount: 5, currency: 'rupiah' } }),
      ),
      400,
    );
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation`,
        analyst,
        warning('first_warning', { fine: { amount: 5, currency: 'IDR' } }),
      ),
      400,
      '/fine',
    );
    expectProblem(
      await post(`/v1/notices/${notice_id}/escalation/not-a-uuid/answer`, reviewer, { body: 'x' }),
      400,
    );
    expectProblem(
      await post(
        `/v1/notices/${notice_id}/escalation/00000000-0000-7000-8000-000000000000/answer`,
        reviewer,
        { body: 'x' },
      ),
      404,
    );
    for (const [name, body] of badBodies({ body: 'An answer.' }, 'body')) {
      const response = await post(
        `/v1/notices/${notice_id}/escalation/00000000-0000-7000-8000-000000000000/answer`,
        reviewer,
        body,
      );
      expect(response.statusCode, name).toBe(400);
    }
    expectProblem(await get('/v1/notices/not-a-uuid/escalation', analyst), 400);
    expect((await get(`/v1/notices/${notice_id}/escalation`, analyst)).json().steps).toEqual([]);
  });
});
