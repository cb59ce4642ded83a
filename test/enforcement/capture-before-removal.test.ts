import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk, EVIDENCE_CHAT } from '../support/desk.ts';

/**
 * MR5: takedown hides; it does not destroy evidence. The Telegram Bot API connector deletes,
 * so it forwards the message to the evidence chat first and tapis preserves the copy's
 * Message with the case; when it cannot, it deletes only if tapis already holds evidence of
 * the case, and otherwise stops and says what to do.
 */
let desk: Desk;
let analyst: Caller;
let reviewer: Caller;
let lead: Caller;

const removal = {
  outcome: 'remove',
  language: 'id',
  acknowledge_irreversible: true,
  actions: [{ type: 'remove_message', connector: 'telegram_bot' }],
  grounds: {
    illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic: propaganda of a designated group.' },
  },
};

beforeAll(async () => {
  desk = await createDesk();
  [analyst, reviewer, lead] = await Promise.all([
    desk.app.loginAs('analis@komdigi.example'),
    desk.app.loginAs('peninjau@platform.example'),
    desk.app.loginAs('lead@platform.example'),
  ]);
});
afterAll(() => desk?.close());

async function removeThrough(target: string) {
  const { app } = desk;
  const receipt = await desk.submit(analyst, {
    targets: [target],
    category: 'terrorism',
    explanation: 'Synthetic test notice about a post in a group the bot administers.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer });
  const decided = await app.request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: reviewer,
    payload: removal,
  });
  expect(decided.statusCode, decided.body).toBe(201);
  await desk.drain();
  return caseId;
}

const preserved = async (caseId: string) =>
  (await desk.app.request({ method: 'GET', url: `/v1/cases/${caseId}/preserved-content`, as: lead })).json()
    .items as { id: string; description: string; kind: string }[];

describe('a deletion through the Telegram Bot API', () => {
  it('forwards the message to the evidence chat and preserves the copy before it deletes', async () => {
    desk.bot.addChat({ id: -1002000001, username: 'capture_group', messages: [77] });
    const caseId = await removeThrough('https://t.me/capture_group/77');
    expect(desk.bot.chat(-1002000001).messages.has(77)).toBe(false);
    // The copy stays in the evidence chat, forwarded before the deletion.
    expect(desk.bot.chat(EVIDENCE_CHAT).messages.size).toBeGreaterThan(0);
    const calls = desk.bot.succeeded('forwardMessage').map((c) => c.params);
    expect(calls).toContainEqual(expect.objectContaining({ from_chat_id: '@capture_group', message_id: 77 }));
    const items = await preserved(caseId);
    const captured = items.find((i) => i.description.startsWith('Telegram message captured before deletion'));
    expect(captured?.kind).toBe('text');
    const text = (
      await desk.app.request({ method: 'GET', url: `/v1/preserved-content/${captured!.id}`, as: reviewer })
    ).body;
    expect(JSON.parse(text).message).toMatchObject({
      forward_origin: { message_id: 77, chat: { username: 'capture_group' } },
      text: 'Synthetic message 77 of capture_group',
    });
  });

  it('does not delete what it cannot capture when nothing of the case is held, until content is deposited', async () => {
    const { app } = desk;
    desk.bot.addChat({ id: -1002000002, username: 'protected_group', messages: [5], protectedContent: true });
    const caseId = await removeThrough('https://t.me/protected_group/5');
    expect(desk.bot.chat(-1002000002).messages.has(5)).toBe(true);
    const file = (await app.request({ method: 'GET', url: `/v1/cases/${caseId}`, as: lead })).json();
    expect(file.status).toBe('action_failed');
    const action = await app.ctx.db
      .selectFrom('enforcement_actions')
      .select(['id', 'status', 'last_error'])
      .where('case_id', '=', caseId)
      .where('type', '=', 'remove_message')
      .executeTakeFirstOrThrow();
    expect(action.status).toBe('failed');
    expect(action.last_error).toMatch(/^not deleted: the message could not be captured first/);
    expect(action.last_error).toContain(`/v1/cases/${caseId}/preserved-content`);

    // A person deposits what they captured; the retried deletion then goes ahead.
    const deposit = await app.request({
      method: 'POST',
      url: `/v1/cases/${caseId}/preserved-content`,
      as: reviewer,
      payload: {
        description: 'Synthetic: message 5 as posted, copied by hand',
        text: 'Synthetic text of message 5.',
      },
    });
    expect(deposit.statusCode, deposit.body).toBe(201);
    expect(
      (await app.request({ method: 'POST', url: `/v1/actions/${action.id}/retry`, as: lead })).statusCode,
    ).toBe(202);
    await desk.drain();
    expect(desk.bot.chat(-1002000002).messages.has(5)).toBe(false);
  });
});
