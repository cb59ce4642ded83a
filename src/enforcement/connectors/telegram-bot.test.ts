import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../../test/support/fake-bot-api.ts';
import {
  type ActionType,
  type ConnectorOutcome,
  canRevert,
  type EnforcementAction,
  reversibility,
} from './connector.ts';
import { TelegramBotConnector } from './telegram-bot.ts';

const token = '7000000001:AAH-secret-bot-token_xyz';
const group = -1001234567890;
const user = 4242;
let bot: FakeBotApi;
let connector: TelegramBotConnector;
let seq = 0;

beforeAll(async () => {
  bot = await FakeBotApi.start({ token });
  connector = new TelegramBotConnector({ token, baseUrl: bot.baseUrl, timeoutMs: 1000 });
});
afterAll(() => bot.stop());
beforeEach(() => {
  bot.addChat({ id: group, username: 'example_group', messages: [10, 11, 12, 13] });
  bot.addMember(group, user);
  bot.calls.length = 0;
});
afterEach(() => bot.comeBack());

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

function action(
  type: ActionType,
  fields: Partial<EnforcementAction['subject']> = {},
  params: EnforcementAction['params'] = {},
): EnforcementAction {
  seq += 1;
  const member = type !== 'remove_message';
  return {
    action_id: `act-${seq}`,
    type,
    subject: {
      platform: 'telegram',
      kind: member ? 'member' : 'message',
      key: member ? `telegram:member:${group}/${user}` : 'telegram:message:example_group/10',
      ...(member ? { chat_id: String(group), user_id: String(user) } : {}),
      url: member ? 'https://t.me/example_group' : 'https://t.me/example_group/10',
      ...fields,
    },
    params,
    case_id: 'case-1',
    decision_id: 'dec-1',
  };
}

describe('the Telegram Bot API connector', () => {
  it('deletes a message named by its t.me link, once', async () => {
    const a = action('remove_message');
    expect(await connector.apply(a)).toEqual({ status: 'applied', external_ref: '@example_group:10' });
    expect(bot.chat(group).messages.has(10)).toBe(false);
    expect(bot.succeeded('deleteMessage').map((c) => c.params)).toEqual([
      { chat_id: '@example_group', message_id: 10 },
    ]);
  });

  it('a message already gone ("message to delete not found") is already done', async () => {
    const a = action('remove_message', { url: 'https://t.me/example_group/99' });
    expect(await connector.apply(a)).toEqual({
      status: 'already_done',
      detail: 'Telegram has no such message: it is already deleted',
    });
  });

  it('addresses a private chat from a t.me/c/ link as -100<id>', async () => {
    const a = action('remove_message', { url: 'https://t.me/c/1234567890/11' });
    expect(await connector.apply(a)).toMatchObject({ status: 'applied', external_ref: `${group}:11` });
  });

  it('addresses a chat recorded in t.me/c/ form (digits without -100) as the Bot API numbers it', async () => {
    const a = action('remove_message', {
      chat_id: '1234567890',
      message_id: 12,
      url: 'https://t.me/c/1234567890/12',
    });
    expect(await connector.apply(a)).toEqual({ status: 'applied', external_ref: `${group}:12` });
  });

  it("deletes a comment in the channel's discussion group, leaving the channel post alone", async () => {
    const channel = bot.addChat({ id: -1009, username: 'example_channel', type: 'channel', messages: [42] });
    channel.linkedChatId = group;
    const a = action('remove_message', {
      username: 'example_channel',
      message_id: 42,
      comment_id: 11,
      url: 'https://t.me/example_channel/42?comment=11',
    });
    expect(await connector.apply(a)).toEqual({ status: 'applied', external_ref: `${group}:11` });
    expect(channel.messages.has(42)).toBe(true);
    expect(bot.chat(group).messages.has(11)).toBe(false);
    channel.linkedChatId = undefined;
    expect(
      await connector.apply(
        action('remove_message', { username: 'example_channel', message_id: 42, comment_id: 12 }),
      ),
    ).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/no discussion group/),
    });
    expect(channel.messages.has(42)).toBe(true);
  });

  it('cannot restore a deleted message, and says so before anyone tries', async () => {
    expect(reversibility(connector, 'remove_message')).toEqual({
      supported: true,
      revertible: false,
      note: 'a message deleted through the Telegram Bot API cannot be restored',
    });
    expect(canRevert(connector, 'restrict_member')).toBe(true);
    expect(reversibility(connector, 'suspend_account')).toEqual({ supported: false });
    expect(await connector.revert(action('remove_message'))).toMatchObject({ status: 'failed' });
    expect(bot.calls).toEqual([]);
  });

  it('restricts a member for 30 days with every permission off, and lifting it makes them a member again', async () => {
    const until = days(30);
    const a = action('restrict_member', {}, { until });
    expect(await connector.apply(a)).toEqual({ status: 'applied', external_ref: `${group}:${user}` });
    const restricted = bot.memberStatus(group, user);
    expect(restricted).toMatchObject({
      status: 'restricted',
      is_member: true,
      can_send_messages: false,
      can_invite_users: false,
    });
    expect(restricted.until_date).toBe(Math.floor(Date.parse(until) / 1000));
    expect(bot.succeeded('restrictChatMember')[0]!.params).toMatchObject({
      use_independent_chat_permissions: true,
    });
    expect(await connector.status(a)).toMatchObject({ state: 'applied' });

    expect(await connector.revert(a)).toEqual({ status: 'applied', external_ref: `${group}:${user}` });
    expect(bot.memberStatus(group, user)).toMatchObject({ status: 'member' });
    const lift = bot.succeeded('restrictChatMember')[1]!.params.permissions as Record<string, boolean>;
    expect(Object.values(lift).every(Boolean)).toBe(true);
    expect(await connector.status(a)).toMatchObject({ state: 'not_applied' });
  });

  it('leaves the permissions a decision chooses to keep', async () => {
    const a = action('restrict_member', {}, { permissions: { can_send_messages: true } });
    expect((await connector.apply(a)).status).toBe('applied');
    expect(bot.memberStatus(group, user)).toMatchObject({
      status: 'restricted',
      can_send_messages: true,
      can_send_photos: false,
      until_date: 0,
    });
    expect(
      await connector.apply(action('restrict_member', {}, { permissions: { can_fly: false } })),
    ).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/can_fly is not a Telegram chat permission/),
    });
  });

  it('bans a member and unbans with only_if_banned, so a member who is back stays', async () => {
    const a = action('ban_member');
    expect(await connector.apply(a)).toMatchObject({ status: 'applied' });
    expect(bot.memberStatus(group, user)).toMatchObject({ status: 'kicked', until_date: 0 });
    expect(await connector.status(a)).toMatchObject({
      state: 'applied',
      detail: 'member status kicked, no end date',
    });
    expect(await connector.revert(a)).toMatchObject({ status: 'applied' });
    expect(bot.succeeded('unbanChatMember')[0]!.params).toEqual({
      chat_id: group,
      user_id: user,
      only_if_banned: true,
    });
    expect(bot.memberStatus(group, user)).toMatchObject({ status: 'left' });
    expect(await connector.revert(a)).toMatchObject({
      status: 'already_done',
      detail: 'the user is not banned (left)',
    });
    expect(bot.succeeded('unbanChatMember')).toHaveLength(1);
  });

  it('never restricts a banned user, which would replace the ban with a lesser restriction', async () => {
    await connector.apply(action('ban_member'));
    expect(await connector.apply(action('restrict_member', {}, { until: days(30) }))).toMatchObject({
      status: 'already_done',
      detail: 'the user is banned from the chat, which already stops them posting',
    });
    expect(bot.memberStatus(group, user)).toMatchObject({ status: 'kicked' });
    expect(bot.succeeded('restrictChatMember')).toHaveLength(0);
  });

  it('a member action repeated after success is already done, without acting again', async () => {
    const a = action('restrict_member', {}, { until: days(7) });
    await connector.apply(a);
    expect(await connector.apply(a)).toMatchObject({ status: 'already_done' });
    const b = action('ban_member', {}, { until: days(2) });
    await connector.apply(b);
    expect(await connector.apply(b)).toMatchObject({ status: 'already_done' });
    expect(bot.succeeded('restrictChatMember')).toHaveLength(1);
    expect(bot.succeeded('banChatMember')).toHaveLength(1);
  });

  it('flood control (429 with retry_after) gives a retry after that many seconds', async () => {
    bot.failNext(1, { kind: 'flood', retryAfter: 17 });
    expect(await connector.apply(action('remove_message'))).toEqual({
      status: 'retry',
      after_ms: 17_000,
      detail: 'Telegram flood control (429): retry after 17 s',
    });
  });

  it('403 "not enough rights" is a failure that says what to fix', async () => {
    bot.failNext(1, { kind: 'forbidden' }, ['restrictChatMember']);
    expect(await connector.apply(action('restrict_member'))).toEqual({
      status: 'failed',
      detail:
        'the bot lacks the administrator right for restrictChatMember in this chat (403: Forbidden: not enough rights to restrict/unrestrict chat member); grant it and retry',
    });
  });

  it('a bot without can_restrict_members, or without a seat in the chat, fails clearly', async () => {
    bot.chat(group).bot.can_restrict_members = false;
    expect(await connector.apply(action('ban_member'))).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/lacks the administrator right for banChatMember/),
    });
    bot.chat(group).bot.status = 'left';
    expect(await connector.apply(action('remove_message'))).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/bot is not a member of this chat/),
    });
    bot.chat(group).bot.status = 'kicked';
    expect(await connector.apply(action('remove_message'))).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/bot was removed from this chat/),
    });
  });

  it('an unknown chat is a failure', async () => {
    expect(
      await connector.apply(action('remove_message', { url: 'https://t.me/nowhere_chat/1' })),
    ).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/does not know this chat/),
    });
  });

  it('5xx answers give retry', async () => {
    bot.failNext(1, { kind: 'server_error', status: 502 });
    expect(await connector.apply(action('remove_message'))).toMatchObject({
      status: 'retry',
      detail: expect.stringMatching(/502/),
    });
  });

  it('while the Bot API is down every attempt is a retry; once it is back each effect happens exactly once', async () => {
    const remove = action('remove_message', { url: 'https://t.me/example_group/12' });
    const restrict = action('restrict_member', {}, { until: days(30) });
    await bot.goDown();
    for (const a of [remove, restrict, remove]) expect((await connector.apply(a)).status).toBe('retry');
    await bot.comeBack();
    expect((await connector.apply(remove)).status).toBe('applied');
    expect((await connector.apply(restrict)).status).toBe('applied');
    expect((await connector.apply(remove)).status).toBe('already_done');
    expect((await connector.apply(restrict)).status).toBe('already_done');
    expect(bot.succeeded('deleteMessage')).toHaveLength(1);
    expect(bot.succeeded('restrictChatMember')).toHaveLength(1);
  });

  it('an answer lost after Telegram acted is retried without a second effect', async () => {
    const remove = action('remove_message', { url: 'https://t.me/example_group/13' });
    bot.failNext(1, { kind: 'lost_answer' }, ['deleteMessage']);
    expect((await connector.apply(remove)).status).toBe('retry');
    expect((await connector.apply(remove)).status).toBe('already_done');
    const ban = action('ban_member');
    bot.failNext(1, { kind: 'lost_answer' }, ['banChatMember']);
    expect((await connector.apply(ban)).status).toBe('retry');
    expect((await connector.apply(ban)).status).toBe('already_done');
    expect(bot.succeeded('deleteMessage')).toHaveLength(1);
    expect(bot.succeeded('banChatMember')).toHaveLength(1);
  });

  it('a timeout gives retry; when the slow call lands after all, the retry finds it done', async () => {
    const a = action('remove_message');
    bot.failNext(1, { kind: 'slow', ms: 1300 });
    expect(await connector.apply(a)).toEqual({
      status: 'retry',
      detail: 'Bot API unreachable: no answer within 1000 ms',
    });
    // The slow call lands after the timeout, when it lands: wait for it, not for a guess.
    await until(() => !bot.chat(group).messages.has(10));
    expect((await connector.apply(a)).status).toBe('already_done');
  });

  it('member actions follow a group upgraded to a supergroup; a deletion there fails with the new chat', async () => {
    const old = -4001;
    bot.addChat({ id: old, type: 'group' }).migratedTo = group;
    const restrict = action('restrict_member', { chat_id: String(old) });
    expect(await connector.apply(restrict)).toEqual({ status: 'applied', external_ref: `${group}:${user}` });
    expect(bot.memberStatus(group, user)).toMatchObject({ status: 'restricted' });
    expect(
      await connector.apply(action('remove_message', { chat_id: String(old), message_id: 10 })),
    ).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(new RegExp(`became supergroup ${group}`)),
    });
    expect(bot.chat(group).messages.has(10)).toBe(true);
  });

  it('refuses an end date Telegram would turn into "forever", without calling it', async () => {
    expect(await connector.apply(action('restrict_member', {}, { until: days(400) }))).toMatchObject({
      status: 'failed',
    });
    expect(await connector.apply(action('ban_member', {}, { until: days(-1) }))).toMatchObject({
      status: 'failed',
    });
    expect(bot.calls).toEqual([]);
  });

  it('cannot confirm a deletion, but reads restrictions and bans', async () => {
    expect(await connector.status(action('remove_message'))).toMatchObject({ state: 'unknown' });
    expect(await connector.status(action('ban_member'))).toEqual({
      state: 'not_applied',
      detail: 'member status member',
    });
  });

  it('never puts the bot token in a detail, whatever goes wrong', async () => {
    const outcomes: (ConnectorOutcome | { detail?: string })[] = [];
    const wrongToken = new TelegramBotConnector({
      token: `${token}-revoked`,
      baseUrl: bot.baseUrl,
      timeoutMs: 500,
    });
    outcomes.push(await wrongToken.apply(action('remove_message')));
    outcomes.push(await wrongToken.status(action('ban_member')));
    const wrongBase = new TelegramBotConnector({
      token,
      baseUrl: `${bot.baseUrl}/nothing-here`,
      timeoutMs: 500,
    });
    outcomes.push(await wrongBase.apply(action('ban_member')));
    bot.failNext(1, { kind: 'server_error' });
    outcomes.push(await connector.apply(action('remove_message')));
    bot.failNext(1, { kind: 'forbidden', description: `Forbidden: echo ${token}` });
    outcomes.push(await connector.apply(action('remove_message')));
    await bot.goDown();
    outcomes.push(await connector.apply(action('remove_message')));
    outcomes.push(await connector.status(action('restrict_member')));
    await bot.comeBack();
    for (const outcome of outcomes) expect(outcome.detail ?? '').not.toContain(token.split(':')[1]);
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/check the configured token/),
    });
    expect(outcomes[4]).toMatchObject({ detail: expect.stringContaining('echo <token>') });
  });
});

/** Waits until `check` holds, polling; fails after `ms` (generous: a loaded CI is slow). */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
