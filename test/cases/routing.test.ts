import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';
import { png, uploadEvidence } from '../support/uploads.ts';

/**
 * A case routes to reviewers who cover its jurisdiction and speak its language. That holds
 * for everything a reviewer does to it, not only the claim: the four-eyes approval (and its
 * refusal), an appeal's decision and a reveal of its content.
 */
let desk: Desk;
let analyst: Caller;
let peninjau: Caller;
/** A reviewer of Indonesia who reads only English: Indonesian-language cases are not theirs. */
let englishOnly: Caller;
let lead: Caller;
let admin: Caller;

const grounds = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018',
    explanation: 'Synthetic: propaganda of a designated group.',
  },
};

beforeAll(async () => {
  desk = await createDesk();
  analyst = await desk.app.loginAs('analis@komdigi.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  englishOnly = await desk.app.loginAs('reviewer@platform.example');
  lead = await desk.app.loginAs('lead@platform.example');
  admin = await desk.app.loginAs('admin@platform.example');
});
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);

/** A notice in Indonesian about `target`, its case claimed by peninjau. */
async function claimedCase(target: string) {
  const receipt = await desk.submit(analyst, {
    targets: [target],
    category: 'terrorism',
    explanation: 'Synthetic notice for routing tests.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  const claim = await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau });
  expect(claim.statusCode).toBe(200);
  return { caseId, noticeId: receipt.notice_id };
}

describe('the four-eyes rule', () => {
  it('refuses a second reviewer who does not speak the case’s language, as a claim would', async () => {
    const { caseId } = await claimedCase('@routing_four_eyes_channel');
    const caseView = (await request({ method: 'GET', url: `/v1/cases/${caseId}`, as: lead })).json();
    expect(caseView.language).toBe('id');
    const claimByOther = await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: englishOnly });
    expect(claimByOther.statusCode).toBe(403);

    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: peninjau,
      payload: { outcome: 'suspend', grounds, suspension: { target: 'channel', permanent: true } },
    });
    expect(decided.json().status).toBe('pending_approval');
    const decisionId = decided.json().decision_id;

    const approve = await request({
      method: 'POST',
      url: `/v1/decisions/${decisionId}/approve`,
      as: englishOnly,
    });
    expect(approve.statusCode).toBe(403);
    expect(approve.json().detail).toMatch(/reviewers of ID who speak 'id'/);
    const refuse = await request({
      method: 'POST',
      url: `/v1/decisions/${decisionId}/refuse`,
      as: englishOnly,
      payload: { reason: 'Synthetic: I would not suspend.' },
    });
    expect(refuse.statusCode).toBe(403);
    // Nothing was settled: the decision still waits, and a lead (who sees every case) approves it.
    const approved = await request({ method: 'POST', url: `/v1/decisions/${decisionId}/approve`, as: lead });
    expect(approved.statusCode).toBe(200);
  });
});

describe('reveals', () => {
  it('show a case’s content only to reviewers the case routes to', async () => {
    const { caseId, noticeId } = await claimedCase('@routing_reveal_channel');
    const [item] = await uploadEvidence(desk.app, analyst, noticeId, [
      { name: 'a.png', data: await png('#884422') },
    ]);
    const reveal = (as: Caller) =>
      request({
        method: 'POST',
        url: `/v1/cases/${caseId}/reveal`,
        as,
        payload: { object_type: 'evidence', object_id: item!.id },
      });
    const refused = await reveal(englishOnly);
    expect(refused.statusCode).toBe(403);
    const reveals = await desk.app.ctx.db
      .selectFrom('reveals')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(reveals).toEqual([]);
    expect((await reveal(peninjau)).statusCode).toBe(200);
  });
});

describe('appeal decisions', () => {
  it('are refused to a reviewer who no longer covers the case, though they claimed the appeal', async () => {
    const { caseId } = await claimedCase('@routing_appeal_channel');
    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: peninjau,
      payload: { outcome: 'remove', grounds },
    });
    expect(decided.statusCode).toBe(201);
    await desk.drain();
    const statementPath = statementApiPath(decided.json().statement_url);
    const appealId = (
      await request({
        method: 'POST',
        url: `${statementPath}/appeal`,
        payload: { grounds: 'Synthetic appeal: this is news reporting.' },
      })
    ).json().appeal_id;
    const created = await request({
      method: 'POST',
      url: '/v1/users',
      as: admin,
      payload: {
        org: 'platform',
        email: 'routing-appeals@platform.example',
        display_name: 'Routing appeals',
        roles: ['reviewer'],
        languages: ['id'],
        jurisdictions: ['ID'],
        password: 'tapis-demo-2026',
      },
    });
    expect(created.statusCode).toBe(201);
    const second = await desk.app.loginAs('routing-appeals@platform.example');
    expect(
      (await request({ method: 'POST', url: `/v1/appeals/${appealId}/claim`, as: second })).statusCode,
    ).toBe(200);
    // Their languages change (they moved to another desk) while they hold the appeal.
    await desk.app.ctx.db
      .updateTable('users')
      .set({ languages: ['en'] })
      .where('email', '=', 'routing-appeals@platform.example')
      .execute();
    const decision = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/decision`,
      as: second,
      payload: { outcome: 'rejected', reasons: 'Synthetic reasons for the appellant.' },
    });
    expect(decision.statusCode).toBe(403);
    const appeal = await desk.app.ctx.db
      .selectFrom('appeals')
      .select('status')
      .where('id', '=', appealId)
      .executeTakeFirstOrThrow();
    expect(appeal.status).toBe('in_review');
  });
});
