import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTdbSubmission } from '../../src/transparency/tdb-mapping.ts';
import { validateTdbStatement } from '../../src/transparency/tdb-validation.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { statementApiPath } from '../support/statement-path.ts';

/**
 * The whole life of a notice, as the people involved see it: the ministry's analyst, the
 * reviewers, the platform and the Telegram group (both local fakes), and the affected user
 * who appeals through the statement's link. Each test is one step and runs after the one
 * before; every step must also show in the case's event log and in the audit chain.
 */
const DAY = 86_400_000;
const GROUP = -1001555000111;
const GROUP_NAME = 'scenario_dakwah_group';
const MESSAGE = 4242;
const POSTER = 777000111;
const SUBJECT = `telegram:message:${GROUP_NAME}/${MESSAGE}`;

let desk: Desk;
let analyst: Caller;
let peninjau: Caller;
let pengulas: Caller;
let auditor: Caller;
let peninjauId: string;
let pengulasId: string;

const state: {
  noticeId?: string;
  caseId?: string;
  decisionId?: string;
  statementPath?: string;
  appealId?: string;
  until?: string;
} = {};

beforeAll(async () => {
  desk = await createDesk();
  desk.bot.addChat({ id: GROUP, username: GROUP_NAME, messages: [MESSAGE] });
  desk.bot.addMember(GROUP, POSTER);
  analyst = await desk.app.loginAs('analis@komdigi.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  auditor = await desk.app.loginAs('auditor@platform.example');
  const admin = await desk.app.loginAs('admin@platform.example');
  const created = await desk.app.request({
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
  (await request({ method: 'GET', url: `/v1/cases/${id}`, as: auditor })).json();
const eventsOf = async (noticeId: string) =>
  (await request({ method: 'GET', url: `/v1/events?notice_id=${noticeId}&limit=1000`, as: analyst })).json()
    .items as { type: string; data: Record<string, unknown> }[];

describe('a government notice, from receipt to reinstatement on appeal', () => {
  it('1. a notice from the ministry arrives about a message in a group the bot administers', async () => {
    const receipt = await desk.submit(analyst, {
      targets: [`https://t.me/${GROUP_NAME}/${MESSAGE}`],
      category: 'terrorism',
      explanation: 'Synthetic test notice: the message recruits for a designated terrorist organisation.',
      good_faith: true,
    });
    expect(receipt.targets[0]).toMatchObject({ status: 'opened_case' });
    state.noticeId = receipt.notice_id;
    state.caseId = receipt.targets[0]!.case_id;
    const notice = (
      await request({ method: 'GET', url: `/v1/notices/${state.noticeId}`, as: analyst })
    ).json();
    expect(notice).toMatchObject({ org: 'komdigi', source_type: 'trusted_flagger', category: 'terrorism' });
    expect((await eventsOf(state.noticeId)).map((e) => e.type)).toEqual(['notice.received']);
  });

  it('2. it enters the queue, and an Indonesian-speaking reviewer claims it', async () => {
    const items = (await request({ method: 'GET', url: '/v1/queue?limit=500', as: peninjau })).json()
      .items as { case_id: string; trusted: boolean; language: string }[];
    const item = items.find((i) => i.case_id === state.caseId);
    expect(item).toMatchObject({ trusted: true, language: 'id' });
    const claimed = await request({ method: 'POST', url: `/v1/cases/${state.caseId}/claim`, as: peninjau });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'in_review', assigned_to: peninjauId });
  });

  it('3. the reviewer removes the message and restricts the posting account in the group for 30 days', async () => {
    state.until = new Date(desk.app.clock().getTime() + 30 * DAY).toISOString();
    const body = {
      outcome: 'remove',
      grounds: {
        illegal: {
          legal_ground: 'UU No. 5 Tahun 2018, Pasal 13A',
          explanation: 'Synthetic: the message spreads propaganda of a designated terrorist organisation.',
        },
      },
      actions: [
        { type: 'hide_message', connector: 'webhook' },
        { type: 'restrict_member', connector: 'telegram_bot', user_id: String(POSTER), until: state.until },
      ],
      language: 'id',
    };
    const preview = (
      await request({
        method: 'POST',
        url: `/v1/cases/${state.caseId}/decisions/preview`,
        as: peninjau,
        payload: body,
      })
    ).json();
    // Both can be undone, so an appeal can restore them: no warning to acknowledge.
    expect(preview.irreversible).toEqual([]);
    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${state.caseId}/decisions`,
      as: peninjau,
      payload: body,
    });
    expect(decided.statusCode).toBe(201);
    expect(decided.json()).toMatchObject({ status: 'final', case_status: 'actioning' });
    expect(decided.json().actions.map((a: { type: string }) => a.type)).toEqual([
      'hide_message',
      'restrict_member',
      'deliver_statement',
    ]);
    state.decisionId = decided.json().decision_id;
    state.statementPath = statementApiPath(decided.json().statement_url);
  });

  it('4. the platform hides the message through the webhook, and the bot restricts the account', async () => {
    await desk.drain();
    expect(desk.platform.inForce(SUBJECT).sort()).toEqual(['deliver_statement', 'hide_message']);
    // Hidden by the platform, not deleted: it can be restored.
    expect(desk.bot.chat(GROUP).messages.has(MESSAGE)).toBe(true);
    expect(desk.bot.memberStatus(GROUP, POSTER)).toMatchObject({
      status: 'restricted',
      is_member: true,
      can_send_messages: false,
      until_date: Math.floor(Date.parse(state.until!) / 1000),
    });
    const file = await caseFile(state.caseId!);
    expect(file).toMatchObject({ status: 'closed', outcome: 'removed' });
    expect(file.actions.map((a: { status: string }) => a.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('5. a statement of reasons is issued at its link and delivered, and the ministry is told the outcome', async () => {
    const read = await request({ method: 'GET', url: state.statementPath! });
    expect(read.statusCode).toBe(200);
    const { statement, appeal } = read.json();
    // The Transparency Database's values (its StatementStoreRequest and Statement model).
    expect(statement).toMatchObject({
      puid: state.decisionId,
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'],
      decision_provision: 'DECISION_PROVISION_PARTIAL_SUSPENSION',
      decision_account: null,
      decision_monetary: null,
      decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
      illegal_content_legal_ground: 'UU No. 5 Tahun 2018, Pasal 13A',
      illegal_content_explanation: expect.stringMatching(/propaganda/),
      category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
      category_specification: ['KEYWORD_TERRORIST_CONTENT'],
      content_date: desk.app.clock().toISOString().slice(0, 10),
      content_language: 'ID',
      territorial_scope: expect.any(Array),
      source_type: 'SOURCE_TRUSTED_FLAGGER',
      source_identity: expect.any(String),
      automated_detection: 'No',
      automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
      application_date: desk.app.clock().toISOString().slice(0, 10),
      end_date_service_restriction: state.until!.slice(0, 10),
      irreversible_actions: [],
    });
    // Only the fields of the ground that applies.
    expect(statement).not.toHaveProperty('incompatible_content_ground');
    expect(validateTdbStatement(toTdbSubmission(statement))).toEqual({ ok: true, errors: [], excluded: [] });
    expect(statement.redress.internal_complaint.url).toMatch(new RegExp(`${state.statementPath}/appeal$`));
    expect(appeal).toBeNull();
    const row = await desk.app.ctx.db
      .selectFrom('statements')
      .select('delivered_at')
      .where('decision_id', '=', state.decisionId!)
      .executeTakeFirstOrThrow();
    expect(row.delivered_at).not.toBeNull();

    const events = await eventsOf(state.noticeId!);
    const decided = events.find((e) => e.type === 'notice.decided')!;
    expect(decided.data).toMatchObject({
      outcome: 'removed',
      status: 'actioned',
      redress: { objection: `POST /v1/notices/${state.noticeId}/objections` },
    });
    // A notifier appeals only a decision not to act (DSA Art. 20(1)).
    expect(decided.data.redress).not.toHaveProperty('appeal');
    expect(events.filter((e) => e.type === 'notice.action_applied')).toHaveLength(2);
  });

  it('6. the affected user appeals through the statement’s link', async () => {
    const lodged = await request({
      method: 'POST',
      url: `${state.statementPath}/appeal`,
      payload: {
        grounds: 'Pesan itu liputan berita tentang serangan, bukan propaganda.',
        contact: { email: 'pengguna@example.org' },
      },
    });
    expect(lodged.statusCode).toBe(201);
    expect(lodged.json()).toMatchObject({ status: 'open', decision_id: state.decisionId });
    state.appealId = lodged.json().appeal_id;
    expect((await request({ method: 'GET', url: state.statementPath! })).json().appeal).toMatchObject({
      id: state.appealId,
      status: 'open',
      outcome: null,
    });
    expect((await caseFile(state.caseId!)).status).toBe('under_appeal');
    const received = (await eventsOf(state.noticeId!)).find((e) => e.type === 'notice.appeal_received')!;
    expect(received.data).toMatchObject({ case_id: state.caseId, appellant_type: 'affected_user' });
    // The user's grounds and contact are not the notifier's to read.
    expect(JSON.stringify(received.data)).not.toMatch(/pengguna@example\.org|liputan/);
  });

  it('7. a different reviewer upholds the appeal; the reviewer who decided is refused', async () => {
    const mine = (await request({ method: 'GET', url: '/v1/appeals', as: peninjau })).json().items as {
      id: string;
    }[];
    expect(mine.map((a) => a.id)).not.toContain(state.appealId);
    const refused = await request({
      method: 'POST',
      url: `/v1/appeals/${state.appealId}/claim`,
      as: peninjau,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/different reviewer .*DSA Art\. 20/);

    const queue = (await request({ method: 'GET', url: '/v1/appeals', as: pengulas })).json().items;
    expect(queue.find((a: { id: string }) => a.id === state.appealId)).toMatchObject({
      appellant_type: 'affected_user',
      decision_outcome: 'remove',
      grounds: expect.stringMatching(/liputan berita/),
      may_decide: true,
    });
    const claimed = await request({
      method: 'POST',
      url: `/v1/appeals/${state.appealId}/claim`,
      as: pengulas,
    });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'in_review', assigned_to: pengulasId });

    const reasons = 'Pesan ini melaporkan berita dan tidak mengajak pada kekerasan; keputusan dibatalkan.';
    const byDecider = await request({
      method: 'POST',
      url: `/v1/appeals/${state.appealId}/decision`,
      as: peninjau,
      payload: { outcome: 'rejected', reasons: 'x' },
    });
    expect(byDecider.statusCode).toBe(403);
    const upheld = await request({
      method: 'POST',
      url: `/v1/appeals/${state.appealId}/decision`,
      as: pengulas,
      payload: { outcome: 'upheld', reasons },
    });
    expect(upheld.statusCode).toBe(200);
    expect(upheld.json()).toMatchObject({ outcome: 'upheld', case_status: 'reverting', reverts: 2 });
  });

  it('8. the message is reinstated through the webhook, and the restriction lifted through the bot', async () => {
    await desk.drain();
    // The statement's delivery cannot be taken back; everything else is undone.
    expect(desk.platform.inForce(SUBJECT)).toEqual(['deliver_statement']);
    const hide = (await caseFile(state.caseId!)).actions.find(
      (a: { type: string }) => a.type === 'hide_message',
    );
    expect(desk.platform.effectsOf(hide.id).map((e) => e.operation)).toEqual(['apply', 'revert']);
    expect(desk.bot.memberStatus(GROUP, POSTER)).toMatchObject({ status: 'member' });
    expect(
      desk.bot.succeeded('restrictChatMember').filter((c) => c.params.chat_id === `@${GROUP_NAME}`),
    ).toHaveLength(2);

    const file = await caseFile(state.caseId!);
    expect(file).toMatchObject({ status: 'closed', outcome: 'reverted' });
    expect(file.decisions[0].reverted_at).not.toBeNull();
    expect(file.actions.map((a: { type: string; status: string }) => `${a.type}:${a.status}`).sort()).toEqual(
      ['deliver_statement:applied', 'hide_message:reverted', 'restrict_member:reverted'],
    );

    // The reasons go back to the appellant, at the link they appealed from (DSA Art. 20(5)).
    const { appeal } = (await request({ method: 'GET', url: state.statementPath! })).json();
    expect(appeal).toMatchObject({
      id: state.appealId,
      status: 'decided',
      outcome: 'upheld',
      reasons: expect.stringMatching(/dibatalkan/),
    });

    const events = await eventsOf(state.noticeId!);
    expect(events.filter((e) => e.type === 'notice.action_reverted')).toHaveLength(2);
    expect(events.find((e) => e.type === 'notice.appeal_decided')!.data).toMatchObject({
      appellant_type: 'affected_user',
      outcome: 'upheld',
    });
    const notice = (
      await request({ method: 'GET', url: `/v1/notices/${state.noticeId}`, as: analyst })
    ).json();
    expect(notice.targets[0]).toMatchObject({ outcome: 'reverted', case_status: 'closed' });
  });

  it('every step is in the case’s event log, in order, and in the audit chain, which verifies', async () => {
    const events = (await caseFile(state.caseId!)).events as {
      type: string;
      actor_id: string;
      to_status: string;
    }[];
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'opened',
      'claimed',
      'decided',
      'action_applied',
      'action_applied',
      'action_applied',
      'appealed',
      'appeal_claimed',
      'appeal_decided',
      'reverted',
      'reverted',
    ]);
    expect(events.map((e) => e.to_status)).toEqual([
      'open',
      'in_review',
      'actioning',
      'actioning',
      'actioning',
      'closed',
      'under_appeal',
      'under_appeal',
      'reverting',
      'reverting',
      'closed',
    ]);
    const by = Object.fromEntries(events.map((e) => [e.type, e.actor_id]));
    expect(by).toMatchObject({
      claimed: peninjauId,
      decided: peninjauId,
      appealed: 'affected_user',
      appeal_claimed: pengulasId,
      appeal_decided: pengulasId,
      reverted: 'worker',
    });

    const audit = (
      await request({
        method: 'GET',
        url: `/v1/audit?object_id=${state.caseId}&kind=change&limit=1000`,
        as: auditor,
      })
    ).json().items as { action: string; change: Record<string, unknown> }[];
    // The case's opening is audited with the notice that opened it (notice.received, below).
    expect(audit.map((a) => a.action)).toEqual(types.slice(1).map((t) => `case.${t}`));
    expect(audit.find((a) => a.action === 'case.appeal_decided')!.change).toMatchObject({
      outcome: 'upheld',
      reasons: expect.stringMatching(/dibatalkan/),
    });
    const noticeAudit = (
      await request({ method: 'GET', url: `/v1/audit?object_id=${state.noticeId}&kind=change`, as: auditor })
    ).json().items as { action: string; change: Record<string, unknown> }[];
    expect(noticeAudit.find((a) => a.action === 'notice.received')!.change).toMatchObject({
      cases: [state.caseId],
    });
    const verified = (await request({ method: 'GET', url: '/v1/audit/verify', as: auditor })).json();
    expect(verified).toMatchObject({ ok: true, fault: null });
  });

  it('after the reversal, the message is no longer "already actioned": a new notice opens a case', async () => {
    const again = await desk.submit(analyst, {
      targets: [`https://t.me/${GROUP_NAME}/${MESSAGE}`],
      category: 'terrorism',
      explanation: 'Synthetic test notice, sent again.',
      good_faith: true,
    });
    expect(again.targets[0]).toMatchObject({ status: 'opened_case' });
    expect(again.targets[0]!.case_id).not.toBe(state.caseId);
  });
});

describe('a connector outage during enforcement', () => {
  const OUTAGE_GROUP = -1001555000222;
  const OUTAGE_NAME = 'scenario_outage_group';
  const OUTAGE_MESSAGE = 99;
  const OUTAGE_POSTER = 777000222;
  const key = `telegram:message:${OUTAGE_NAME}/${OUTAGE_MESSAGE}`;
  const outage: { caseId?: string; statementPath?: string } = {};

  /** The outbox worker keeps trying while the clock moves on, a minute a round. */
  const runFor = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await desk.worker.runOnce();
      desk.app.clock.advance(60_000);
    }
  };
  const restrictCalls = () =>
    desk.bot.succeeded('restrictChatMember').filter((c) => c.params.chat_id === `@${OUTAGE_NAME}`);
  type Action = {
    id: string;
    type: string;
    connector: string;
    status: string;
    attempts: number;
    last_error: string | null;
  };

  it('loses no action and applies none twice once the platform and the Bot API are back', async () => {
    desk.bot.addChat({ id: OUTAGE_GROUP, username: OUTAGE_NAME, messages: [OUTAGE_MESSAGE] });
    desk.bot.addMember(OUTAGE_GROUP, OUTAGE_POSTER);
    const receipt = await desk.submit(analyst, {
      targets: [`https://t.me/${OUTAGE_NAME}/${OUTAGE_MESSAGE}`],
      category: 'terrorism',
      explanation: 'Synthetic test notice for an outage.',
      good_faith: true,
    });
    outage.caseId = receipt.targets[0]!.case_id;
    expect(
      (await request({ method: 'POST', url: `/v1/cases/${outage.caseId}/claim`, as: peninjau })).statusCode,
    ).toBe(200);
    const until = new Date(desk.app.clock().getTime() + 30 * DAY).toISOString();
    const decided = await request({
      method: 'POST',
      url: `/v1/cases/${outage.caseId}/decisions`,
      as: peninjau,
      payload: {
        outcome: 'remove',
        grounds: {
          illegal: {
            legal_ground: 'UU No. 5 Tahun 2018',
            explanation: 'Synthetic: propaganda of a designated group.',
          },
        },
        actions: [
          { type: 'hide_message', connector: 'webhook' },
          { type: 'restrict_member', connector: 'telegram_bot', user_id: String(OUTAGE_POSTER), until },
        ],
      },
    });
    expect(decided.statusCode).toBe(201);
    outage.statementPath = statementApiPath(decided.json().statement_url);

    // The platform answers 500 and the Bot API 502, then both stop answering at all.
    desk.platform.failNext(2, { kind: 'http_error', status: 500 });
    desk.bot.failNext(2, { kind: 'server_error', status: 502 });
    await runFor(1);
    await desk.platform.goDown();
    await desk.bot.goDown();
    await runFor(10);
    const during = await caseFile(outage.caseId);
    expect(during.status).toBe('actioning');
    for (const action of during.actions as Action[]) {
      expect(action.status).toBe('pending');
      expect(action.attempts).toBeGreaterThan(2);
      expect(action.last_error).toBeTruthy();
    }
    expect(desk.platform.inForce(key)).toEqual([]);
    expect(desk.bot.memberStatus(OUTAGE_GROUP, OUTAGE_POSTER)).toMatchObject({ status: 'member' });

    // They come back, and each loses its first answer after acting: the retry must not act again.
    desk.platform.failNext(1, { kind: 'lost_answer' });
    desk.bot.failNext(1, { kind: 'lost_answer' }, ['restrictChatMember']);
    await desk.platform.comeBack();
    await desk.bot.comeBack();
    await desk.drain();

    const after = await caseFile(outage.caseId);
    expect(after.status).toBe('closed');
    expect((after.actions as Action[]).map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    for (const action of (after.actions as Action[]).filter((a) => a.connector === 'webhook')) {
      expect(desk.platform.effectsOf(action.id).filter((e) => e.operation === 'apply')).toHaveLength(1);
    }
    expect(desk.platform.inForce(key).sort()).toEqual(['deliver_statement', 'hide_message']);
    expect(restrictCalls()).toHaveLength(1);
    expect(desk.bot.memberStatus(OUTAGE_GROUP, OUTAGE_POSTER)).toMatchObject({
      status: 'restricted',
      can_send_messages: false,
    });
    const events = after.events as {
      type: string;
      data: { type?: string; connector?: string; outcome?: string };
    }[];
    expect(events.filter((e) => e.type === 'action_applied')).toHaveLength(3);
    expect(events.map((e) => e.type)).not.toContain('action_failed');
    // The retries after the lost answers found the work done, and said so.
    const recognised = events.filter((e) => e.data.outcome === 'already_done').map((e) => e.data.connector);
    expect(recognised.sort()).toEqual(['telegram_bot', 'webhook']);
  });

  it('a reversal during an outage is carried out once, when the connectors are back', async () => {
    const lodged = await request({
      method: 'POST',
      url: `${outage.statementPath}/appeal`,
      payload: { grounds: 'Synthetic appeal: the account was not the poster.' },
    });
    expect(lodged.statusCode).toBe(201);
    const appealId = lodged.json().appeal_id;
    expect(
      (await request({ method: 'POST', url: `/v1/appeals/${appealId}/claim`, as: pengulas })).statusCode,
    ).toBe(200);

    await desk.platform.goDown();
    desk.bot.failNext(2, { kind: 'flood', retryAfter: 30 });
    const upheld = await request({
      method: 'POST',
      url: `/v1/appeals/${appealId}/decision`,
      as: pengulas,
      payload: { outcome: 'upheld', reasons: 'Synthetic: the restriction named the wrong account.' },
    });
    expect(upheld.json()).toMatchObject({ case_status: 'reverting', reverts: 2 });
    await runFor(2);
    await desk.bot.goDown();
    await runFor(8);
    const during = await caseFile(outage.caseId!);
    expect(during.status).toBe('reverting');
    expect(
      (during.actions as Action[]).filter((a) => a.type !== 'deliver_statement').map((a) => a.status),
    ).toEqual(['revert_pending', 'revert_pending']);
    expect(desk.platform.inForce(key).sort()).toEqual(['deliver_statement', 'hide_message']);

    await desk.platform.comeBack();
    await desk.bot.comeBack();
    await desk.drain();
    const after = await caseFile(outage.caseId!);
    expect(after).toMatchObject({ status: 'closed', outcome: 'reverted' });
    const hide = (after.actions as Action[]).find((a) => a.type === 'hide_message')!;
    expect(desk.platform.effectsOf(hide.id).map((e) => e.operation)).toEqual(['apply', 'revert']);
    expect(desk.platform.inForce(key)).toEqual(['deliver_statement']);
    expect(restrictCalls()).toHaveLength(2);
    expect(desk.bot.memberStatus(OUTAGE_GROUP, OUTAGE_POSTER)).toMatchObject({ status: 'member' });
  });
});
