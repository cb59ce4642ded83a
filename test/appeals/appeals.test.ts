import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';

/**
 * Appeals (DSA Art. 20): who may appeal what and until when, one open appeal at a time,
 * a different reviewer, and what each outcome does to the case, the content and the
 * appellant's view of it.
 */
const DAY = 86_400_000;

let desk: Desk;
let analyst: Caller;
let ngo: Caller;
let peninjau: Caller;
let pengulas: Caller;
let lead: Caller;
let admin: Caller;
let peninjauId: string;
let pengulasId: string;

beforeAll(async () => {
  desk = await createDesk();
  analyst = await desk.app.loginAs('analis@komdigi.example');
  ngo = await desk.app.loginAs('analyst@ngo.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  lead = await desk.app.loginAs('lead@platform.example');
  admin = await desk.app.loginAs('admin@platform.example');
  const created = await request({
    method: 'POST',
    url: '/v1/users',
    as: admin,
    payload: {
      org: 'platform',
      email: 'pengulas@platform.example',
      display_name: 'Dewi Pengulas',
      roles: ['reviewer'],
      languages: ['id'],
      jurisdictions: ['ID'],
      password: 'tapis-demo-2026',
    },
  });
  expect(created.statusCode).toBe(201);
  pengulas = await desk.app.loginAs('pengulas@platform.example');
  peninjauId = (await request({ method: 'GET', url: '/v1/me', as: peninjau })).json().id;
  pengulasId = (await request({ method: 'GET', url: '/v1/me', as: pengulas })).json().id;
});
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);
const caseFile = async (id: string) =>
  (await request({ method: 'GET', url: `/v1/cases/${id}`, as: lead })).json();
const eventsOf = async (noticeId: string, as: Caller = analyst) =>
  (await request({ method: 'GET', url: `/v1/events?notice_id=${noticeId}&limit=1000`, as })).json().items as {
    type: string;
    data: Record<string, unknown>;
  }[];
const grounds = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018',
    explanation: 'Synthetic: propaganda of a designated group.',
  },
};

/** A notice about `target`, claimed and decided by peninjau, its enforcement run. */
async function decided(target: string, decision: Record<string, unknown>, drain = true) {
  const receipt = await desk.submit(analyst, {
    targets: [target],
    category: 'terrorism',
    explanation: 'Synthetic test notice for appeals.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode).toBe(
    200,
  );
  const response = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: peninjau,
    payload: decision,
  });
  expect(response.statusCode).toBe(201);
  if (drain) await desk.drain();
  const url: string | null = response.json().statement_url;
  return {
    noticeId: receipt.notice_id,
    caseId,
    decisionId: response.json().decision_id as string,
    statementPath: url ? statementApiPath(url) : '',
  };
}
const removal = { outcome: 'remove', grounds };
const userAppeal = (statementPath: string, text = 'Synthetic appeal: this is news reporting.') =>
  request({ method: 'POST', url: `${statementPath}/appeal`, payload: { grounds: text } });
const claimAppeal = (id: string, as: Caller) =>
  request({ method: 'POST', url: `/v1/appeals/${id}/claim`, as });
const decideAppeal = (
  id: string,
  as: Caller,
  outcome: 'upheld' | 'rejected',
  reasons = 'Synthetic reasons for the appellant.',
) => request({ method: 'POST', url: `/v1/appeals/${id}/decision`, as, payload: { outcome, reasons } });

describe('the affected user’s appeal', () => {
  it('is one at a time: a second appeal against the same decision is refused while the first is open', async () => {
    const { statementPath } = await decided('@appeal_twice_channel', removal);
    expect((await userAppeal(statementPath)).statusCode).toBe(201);
    const second = await userAppeal(statementPath, 'Synthetic: and again.');
    expect(second.statusCode).toBe(409);
    expect(second.json().detail).toMatch(/already open .*statement’s link/);
  });

  it('rejected, leaves the content removed, and its reasons reach the user at the link', async () => {
    const { caseId, statementPath, noticeId } = await decided('@appeal_rejected_channel', removal);
    const appealId = (await userAppeal(statementPath)).json().appeal_id;
    expect((await claimAppeal(appealId, pengulas)).statusCode).toBe(200);
    const rejected = await decideAppeal(
      appealId,
      pengulas,
      'rejected',
      'Synthetic: the channel posts recruitment material; the decision stands.',
    );
    expect(rejected.json()).toMatchObject({ outcome: 'rejected', case_status: 'closed', reverts: 0 });
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:appeal_rejected_channel').sort()).toEqual([
      'deliver_statement',
      'suspend_channel',
    ]);
    expect(await caseFile(caseId)).toMatchObject({ status: 'closed', outcome: 'removed' });
    const { appeal } = (await request({ method: 'GET', url: statementPath })).json();
    expect(appeal).toMatchObject({
      id: appealId,
      status: 'decided',
      outcome: 'rejected',
      reasons: expect.stringMatching(/decision stands/),
    });
    expect((await eventsOf(noticeId)).find((e) => e.type === 'notice.appeal_decided')!.data).toMatchObject({
      outcome: 'rejected',
      case_status: 'closed',
    });
    // The content is still actioned: a new notice about it is answered so at once.
    const again = await desk.submit(analyst, {
      targets: ['@appeal_rejected_channel'],
      category: 'terrorism',
      explanation: 'Synthetic test notice, sent again.',
      good_faith: true,
    });
    expect(again.targets[0]).toMatchObject({ status: 'already_actioned', case_id: caseId });
    // The internal complaint was heard; further review is out of court (DSA Art. 21).
    const repeat = await userAppeal(statementPath, 'Synthetic: once more.');
    expect(repeat.statusCode).toBe(409);
    expect(repeat.json().detail).toMatch(/already reviewed on appeal \(rejected on .*DSA Art\. 21/);
  });

  it('upheld while enforcement is still under way, waits for it to settle', async () => {
    const { caseId, statementPath } = await decided('@appeal_inflight_channel', removal, false);
    const appealId = (await userAppeal(statementPath)).json().appeal_id;
    expect((await caseFile(caseId)).status).toBe('under_appeal');
    await claimAppeal(appealId, pengulas);
    const early = await decideAppeal(appealId, pengulas, 'upheld');
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/still being enforced \(suspend_channel pending\)/);
    await desk.drain();
    const upheld = await decideAppeal(appealId, pengulas, 'upheld');
    expect(upheld.json()).toMatchObject({ case_status: 'reverting', reverts: 1 });
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:appeal_inflight_channel')).toEqual(['deliver_statement']);
    expect(await caseFile(caseId)).toMatchObject({ status: 'closed', outcome: 'reverted' });
  });
});

describe('the appeal queue', () => {
  it('is worked under a lease, and a lead reassigns it, never to the reviewer who decided', async () => {
    const { caseId, statementPath } = await decided('@appeal_assign_channel', removal);
    const appealId = (await userAppeal(statementPath)).json().appeal_id;
    const items = (await request({ method: 'GET', url: '/v1/appeals', as: lead })).json().items as {
      id: string;
      may_decide: boolean;
    }[];
    expect(items.find((a) => a.id === appealId)).toMatchObject({ may_decide: true });
    expect((await claimAppeal(appealId, pengulas)).statusCode).toBe(200);
    expect((await claimAppeal(appealId, lead)).statusCode).toBe(409);

    const toDecider = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/assign`,
      as: lead,
      payload: { reviewer_id: peninjauId },
    });
    expect(toDecider.statusCode).toBe(400);
    expect(toDecider.json().errors[0]).toMatchObject({
      pointer: '/reviewer_id',
      detail: 'took part in the decision',
    });
    expect(
      (
        await request({
          method: 'POST',
          url: `/v1/appeals/${appealId}/assign`,
          as: pengulas,
          payload: { reviewer_id: pengulasId },
        })
      ).statusCode,
    ).toBe(403);
    const me = (await request({ method: 'GET', url: '/v1/me', as: lead })).json().id;
    const assigned = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/assign`,
      as: lead,
      payload: { reviewer_id: me },
    });
    expect(assigned.json()).toMatchObject({ status: 'in_review', assigned_to: me });
    expect((await decideAppeal(appealId, pengulas, 'rejected')).statusCode).toBe(409);
    expect((await decideAppeal(appealId, lead, 'rejected')).statusCode).toBe(200);
    const types = (await caseFile(caseId)).events.map((e: { type: string }) => e.type);
    expect(types.slice(-4)).toEqual(['appealed', 'appeal_claimed', 'appeal_reassigned', 'appeal_decided']);
  });
});

describe('the notifier’s appeal', () => {
  it('after no action: upheld, the case goes back to the queue and is decided again', async () => {
    const { noticeId, caseId, decisionId } = await decided('@appeal_no_action_channel', {
      outcome: 'no_action',
    });
    const told = (await eventsOf(noticeId)).find((e) => e.type === 'notice.decided')!;
    expect(told.data).toMatchObject({
      outcome: 'no_action',
      redress: { appeal: `POST /v1/notices/${noticeId}/appeals` },
    });

    const lodged = await request({
      method: 'POST',
      url: `/v1/notices/${noticeId}/appeals`,
      as: analyst,
      payload: { grounds: 'Synthetic: the channel is the official outlet of a designated group.' },
    });
    expect(lodged.statusCode).toBe(201);
    const [item] = lodged.json().items;
    expect(item).toMatchObject({
      case_id: caseId,
      decision_id: decisionId,
      target_indexes: [0],
      status: 'open',
    });
    expect((await eventsOf(noticeId)).find((e) => e.type === 'notice.appeal_received')!.data).toMatchObject({
      appeal_id: item.appeal_id,
      appellant_type: 'notifier',
    });
    expect(
      (
        await request({
          method: 'POST',
          url: `/v1/notices/${noticeId}/appeals`,
          as: analyst,
          payload: { grounds: 'Synthetic: again.' },
        })
      ).statusCode,
    ).toBe(409);

    expect((await claimAppeal(item.appeal_id, peninjau)).statusCode).toBe(403);
    expect((await claimAppeal(item.appeal_id, pengulas)).statusCode).toBe(200);
    const upheld = await decideAppeal(
      item.appeal_id,
      pengulas,
      'upheld',
      'Synthetic: the notifier is right; the channel is reviewed again.',
    );
    expect(upheld.json()).toMatchObject({ outcome: 'upheld', case_status: 'open', reverts: 0 });

    const decidedEvent = (await eventsOf(noticeId)).find((e) => e.type === 'notice.appeal_decided')!;
    expect(decidedEvent.data).toMatchObject({
      appeal_id: item.appeal_id,
      outcome: 'upheld',
      case_status: 'open',
      reasons: expect.stringMatching(/reviewed again/),
    });
    const queue = (await request({ method: 'GET', url: '/v1/queue?limit=500', as: peninjau })).json()
      .items as { case_id: string }[];
    expect(queue.map((i) => i.case_id)).toContain(caseId);
    const notice = (await request({ method: 'GET', url: `/v1/notices/${noticeId}`, as: analyst })).json();
    expect(notice.status).toBe('in_review');

    expect(
      (await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: pengulas })).statusCode,
    ).toBe(200);
    const again = await request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: pengulas,
      payload: removal,
    });
    expect(again.json()).toMatchObject({ status: 'final', case_status: 'actioning' });
    await desk.drain();
    expect(desk.platform.inForce('telegram:username:appeal_no_action_channel')).toContain('suspend_channel');
    const file = await caseFile(caseId);
    expect(file).toMatchObject({ status: 'closed', outcome: 'removed' });
    expect(
      file.decisions.map((d: { outcome: string; reverted_at: string | null }) => [
        d.outcome,
        d.reverted_at !== null,
      ]),
    ).toEqual([
      ['no_action', true],
      ['remove', false],
    ]);
  });

  it('rejected, closes the case again and sends the reasons to the notifier', async () => {
    const { noticeId, caseId } = await decided('@appeal_reject_unfounded', {
      outcome: 'reject_unsubstantiated',
    });
    const [item] = (
      await request({
        method: 'POST',
        url: `/v1/notices/${noticeId}/appeals`,
        as: analyst,
        payload: { grounds: 'Synthetic.', target_indexes: [0] },
      })
    ).json().items;
    await claimAppeal(item.appeal_id, pengulas);
    expect(
      (
        await decideAppeal(
          item.appeal_id,
          pengulas,
          'rejected',
          'Synthetic: the notice names no unlawful content.',
        )
      ).json(),
    ).toMatchObject({ case_status: 'closed' });
    expect((await caseFile(caseId)).status).toBe('closed');
    expect((await eventsOf(noticeId)).find((e) => e.type === 'notice.appeal_decided')!.data).toMatchObject({
      outcome: 'rejected',
      reasons: expect.stringMatching(/no unlawful content/),
    });
  });

  it('cannot appeal a decision that acted, nor a target not decided yet', async () => {
    const acted = await decided('@appeal_acted_channel', removal);
    const named = await request({
      method: 'POST',
      url: `/v1/notices/${acted.noticeId}/appeals`,
      as: analyst,
      payload: { grounds: 'Synthetic.', target_indexes: [0] },
    });
    expect(named.statusCode).toBe(400);
    expect(named.json().errors[0]).toMatchObject({
      pointer: '/target_indexes/0',
      detail: expect.stringMatching(/decided 'remove'.*DSA Art\. 20\(1\)/),
    });
    expect(
      (
        await request({
          method: 'POST',
          url: `/v1/notices/${acted.noticeId}/appeals`,
          as: analyst,
          payload: { grounds: 'Synthetic.' },
        })
      ).statusCode,
    ).toBe(409);
    const pending = await desk.submit(analyst, {
      targets: ['@appeal_pending_channel'],
      category: 'terrorism',
      explanation: 'Synthetic test notice, not decided yet.',
      good_faith: true,
    });
    const early = await request({
      method: 'POST',
      url: `/v1/notices/${pending.notice_id}/appeals`,
      as: analyst,
      payload: { grounds: 'Synthetic.' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/not decided yet/);
  });

  it('is for the notifier’s own organisation: another flagger, or the platform, finds no such notice', async () => {
    const { noticeId } = await decided('@appeal_other_org_channel', { outcome: 'no_action' });
    for (const other of [ngo, admin]) {
      const response = await request({
        method: 'POST',
        url: `/v1/notices/${noticeId}/appeals`,
        as: other,
        payload: { grounds: 'Synthetic.' },
      });
      expect(response.statusCode).toBe(404);
    }
  });
});

describe('six months later', () => {
  it('an appeal is too late, and the answer says where else to turn', async () => {
    const user = await decided('@appeal_late_channel', removal);
    const notifier = await decided('@appeal_late_no_action', { outcome: 'no_action' });
    desk.app.clock.advance(183 * DAY);
    const late = await userAppeal(user.statementPath);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(
      /six months to appeal this decision ended on \d{4}-\d{2}-\d{2} \(DSA Art\. 20\(1\)\).*out-of-court/,
    );
    // Console sessions last hours, not months: the analyst logs in again.
    const analystNow = await desk.app.loginAs('analis@komdigi.example');
    const lateNotifier = await request({
      method: 'POST',
      url: `/v1/notices/${notifier.noticeId}/appeals`,
      as: analystNow,
      payload: { grounds: 'Synthetic.' },
    });
    expect(lateNotifier.statusCode).toBe(409);
    expect(lateNotifier.json().detail).toMatch(/six months/);
    const file = (
      await request({
        method: 'GET',
        url: `/v1/cases/${user.caseId}`,
        as: await desk.app.loginAs('lead@platform.example'),
      })
    ).json();
    expect(file.status).toBe('closed');
  });
});
