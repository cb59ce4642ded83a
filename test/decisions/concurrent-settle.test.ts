import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { submitNotice } from '../support/channel.ts';

// A notice naming two channels has two cases. Decided at the same moment by two reviewers,
// each decision must see the other's outcome once it is committed, so that the notice is
// settled (its clock stopped) by whichever commits second. On PostgreSQL the two run in
// parallel transactions; PGlite has one connection, and runs them one after the other.
let app: TestApp;
let analyst: Caller;
let peninjau: Caller;
let penelaah: Caller;

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  penelaah = await app.loginAs('penelaah@platform.example');
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload?: object) =>
  app.request({ method: 'POST', url, as, ...(payload ? { payload } : {}) });

describe('two decisions on the two cases of one notice, at once', () => {
  it('settle the notice: its status is final and its clock stopped, whichever commits last', async () => {
    for (let round = 0; round < 5; round++) {
      const receipt = await submitNotice(app, analyst, `@settle_pair_${round}_a`, {
        targets: [`@settle_pair_${round}_a`, `@settle_pair_${round}_b`],
      });
      const [first, second] = receipt.targets.map((t) => t.case_id);
      expect(first).not.toBe(second);
      for (const [caseId, as] of [
        [first!, peninjau],
        [second!, penelaah],
      ] as const)
        expect((await post(`/v1/cases/${caseId}/claim`, as)).statusCode).toBe(200);
      const decided = await Promise.all([
        post(`/v1/cases/${first}/decisions`, peninjau, { outcome: 'no_action' }),
        post(`/v1/cases/${second}/decisions`, penelaah, { outcome: 'no_action' }),
      ]);
      for (const answer of decided) expect(answer.statusCode, answer.body).toBe(201);
      const notice = await app.ctx.db
        .selectFrom('notices')
        .select(['status', 'closed_at', 'next_clock_at'])
        .where('id', '=', receipt.notice_id)
        .executeTakeFirstOrThrow();
      expect(notice).toMatchObject({ status: 'no_action', next_clock_at: null });
      expect(notice.closed_at).not.toBeNull();
    }
  });
});
