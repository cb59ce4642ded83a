import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceClockMarks } from '../../src/notices/clock-job.ts';
import { updatesOffset } from '../../src/telegram-intake/inbox.ts';
import { collectStatus, deliverStatus } from '../../src/telegram-intake/status.ts';
import type { Caller } from '../support/app.ts';
import { channelForward, createIntakeBot, type IntakeBot } from '../support/intake-bot.ts';

let b: IntakeBot;
let analyst: Caller;
let reviewer: Caller;
let chat = 8000;

beforeAll(async () => {
  b = await createIntakeBot();
  analyst = await b.app.loginAs('analis@komdigi.example');
  reviewer = await b.app.loginAs('peninjau@platform.example');
});
afterAll(() => b.close());

async function linked(language = 'en'): Promise<number> {
  chat += 1;
  await b.link(analyst, chat, language);
  return chat;
}
const texts = (from: number) => b.said(from).map((m) => m.text ?? m.caption ?? '');
const notices = async () =>
  (await b.app.ctx.db.selectFrom('notices').select('id').execute()).map((n) => n.id);

describe('long polling that survives restarts', () => {
  it('a restart in the middle of a conversation loses no update and handles none twice', async () => {
    const from = await linked();
    const before = await notices();
    b.send(from, channelForward('synthetic_chan', 101), 'en');
    await b.poll();
    const category = b.button(from, 'Terrorism');
    b.press(from, category);
    // The analyst presses the next button as soon as it shows (its data names the draft).
    b.press(from, `b:${category.split(':')[1]}:uu_ite_40`);
    // The process dies after storing both updates and handling only the first.
    const inbox = (b.poller as unknown as { options: { inbox: { handleOne: unknown; drain: unknown } } })
      .options.inbox;
    const realDrain = inbox.drain;
    inbox.drain = async () => {
      const row = await b.app.ctx.db
        .selectFrom('telegram_updates')
        .select(['update_id', 'payload'])
        .where('handled_at', 'is', null)
        .orderBy('update_id')
        .executeTakeFirstOrThrow();
      await (inbox.handleOne as (id: number, p: unknown) => Promise<void>).call(
        inbox,
        Number(row.update_id),
        row.payload,
      );
      throw new Error('crash');
    };
    await expect(b.poller.pollOnce()).rejects.toThrow('crash');
    inbox.drain = realDrain;
    // Both updates were kept, with the offset past them, before either was handled.
    const lastId = Number(b.bot.pendingUpdates.at(-1)!.update_id);
    expect(await updatesOffset(b.app.ctx.db)).toBe(lastId + 1);

    b.restart();
    await b.poll();
    // The new process asks from the stored offset, which confirms them: Telegram drops them.
    expect(b.bot.pendingUpdates).toEqual([]);
    b.press(from, b.button(from, 'File the notice'));
    await b.poll();
    const said = texts(from);
    expect(said.filter((t) => t === 'Choose the category:')).toHaveLength(1);
    expect(said.filter((t) => t === 'Choose the legal basis:')).toHaveLength(1);
    expect(said.filter((t) => t.startsWith('Notice summary'))).toHaveLength(1);
    expect(said.filter((t) => t.startsWith('Notice received.'))).toHaveLength(1);
    expect((await notices()).filter((id) => !before.includes(id))).toHaveLength(1);
    // Every update handled, once.
    const outcomes = await b.app.ctx.db
      .selectFrom('telegram_updates')
      .select(['update_id', 'outcome'])
      .where('sender_id', '=', from)
      .execute();
    expect(outcomes.every((o) => o.outcome !== null)).toBe(true);
  });

  it('a getUpdates answer lost on the way is asked for again from the same offset', async () => {
    const from = await linked();
    b.send(from, { text: '/help' }, 'en');
    b.bot.failNext(1, { kind: 'lost_answer' }, ['getUpdates']);
    await b.poll();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(0);
    await b.poll();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(1);
    await b.poll();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(1);
  });

  it('a 429 on getUpdates is honoured with its retry_after', async () => {
    b.bot.failNext(1, { kind: 'flood', retryAfter: 7 }, ['getUpdates']);
    b.slept.length = 0;
    await b.poll();
    expect(b.slept).toEqual([7000]);
  });

  it('a 429 on sending holds that message for retry_after, then sends it once', async () => {
    const from = await linked();
    b.bot.failNext(1, { kind: 'flood', retryAfter: 30 }, ['sendMessage']);
    b.send(from, { text: '/help' }, 'en');
    await b.poll();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(0);
    const waiting = await b.app.ctx.db
      .selectFrom('outbox')
      .select(['next_attempt_at', 'last_error'])
      .where('topic', '=', 'telegram_intake.send')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(waiting.next_attempt_at.getTime() - b.app.clock().getTime()).toBe(30_000);
    expect(waiting.last_error).toMatch(/retry after 30 s/);
    b.app.clock.advance(29_000);
    await b.drainOutbox();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(0);
    b.app.clock.advance(1_000);
    await b.drainOutbox();
    expect(texts(from).filter((t) => t.startsWith('Forward a post'))).toHaveLength(1);
  });

  it('a sender flooding the bot is told once to wait, and the rest go unanswered', async () => {
    const from = await linked();
    b.burst = true;
    for (let i = 0; i < 26; i++) b.send(from, { text: '/help' }, 'en');
    b.burst = false;
    const before = b.said(from).length;
    await b.poll();
    const said = texts(from).slice(before);
    expect(said.filter((t) => t.startsWith('Too many messages'))).toHaveLength(1);
    // The /start that linked counts too: 20 in the minute, then the warning.
    expect(said.filter((t) => t.startsWith('Forward a post'))).toHaveLength(19);
    b.app.clock.advance(61_000);
    b.send(from, { text: '/help' }, 'en');
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^Forward a post/);
  });
});

describe('status back through the bot', () => {
  async function fileOne(from: number, post: number): Promise<string> {
    b.send(from, channelForward('synthetic_status', post), 'en');
    await b.poll();
    b.press(from, b.button(from, 'Terrorism'));
    await b.poll();
    b.press(from, b.button(from, /ITE Law/));
    await b.poll();
    b.press(from, b.button(from, 'File the notice'));
    await b.poll();
    return /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(b.said(from).at(-1)!.caption!)![1]!;
  }
  const statusPass = async () => {
    await collectStatus(b.app.ctx.db);
    await deliverStatus(b.app.ctx.db, b.app.clock());
    await b.drainOutbox();
  };

  it('a clarification request arrives as its own message, and a reply to it answers it', async () => {
    const from = await linked();
    const noticeId = await fileOne(from, 1);
    await statusPass();
    const asked = await b.app.request({
      method: 'POST',
      url: `/v1/notices/${noticeId}/clarification-requests`,
      as: reviewer,
      payload: { question: 'Synthetic: which post in the channel do you mean?' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    await statusPass();
    const question = b.said(from).at(-1)!;
    expect(question.text).toMatch(/asks for clarification on notice .*\nSynthetic: which post/);
    b.send(
      from,
      { text: 'Synthetic: the pinned one.', reply_to_message: { message_id: question.message_id } },
      'en',
    );
    await b.poll();
    expect(texts(from).at(-1)).toBe('Your answer to the clarification request has been sent.');
    const notice = (
      await b.app.request({ method: 'GET', url: `/v1/notices/${noticeId}`, as: analyst })
    ).json();
    expect(notice.status).toBe('in_review');
    b.send(from, { text: 'Synthetic: again.', reply_to_message: { message_id: question.message_id } }, 'en');
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^The answer could not be sent: no clarification request is open/);
  });

  it('events are batched and rate-limited: at most one message a minute, holding all that happened', async () => {
    const from = await linked();
    const first = await fileOne(from, 2);
    await fileOne(from, 3);
    await statusPass();
    const before = b.said(from).length;
    // Both notices reach their at-risk mark: one message names both.
    b.app.clock.advance(150 * 60_000);
    await announceClockMarks(b.app.ctx.db, b.app.clock());
    await statusPass();
    const batch = b.said(from).slice(before);
    expect(batch).toHaveLength(1);
    expect(batch[0]!.text).toMatch(/^News of your notices:\n• .*deadline at risk\n• .*deadline at risk/);
    // Within the minute nothing more leaves; after it, what queued meanwhile does.
    b.app.clock.advance(10_000);
    const asked = await b.app.request({
      method: 'POST',
      url: `/v1/notices/${first}/clarification-requests`,
      as: reviewer,
      payload: { question: 'Synthetic question.' },
    });
    expect(asked.statusCode).toBe(201);
    await statusPass();
    expect(b.said(from).length).toBe(before + 1);
    b.app.clock.advance(60_000);
    await statusPass();
    expect(b.said(from).length).toBe(before + 2);
    expect(b.said(from).at(-1)!.text).toMatch(/asks for clarification/);
  });

  it('a muted analyst gets no status messages', async () => {
    const from = await linked();
    const noticeId = await fileOne(from, 4);
    b.send(from, { text: '/mute' }, 'en');
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^Status notifications muted/);
    await statusPass();
    const before = b.said(from).length;
    await b.app.request({
      method: 'POST',
      url: `/v1/notices/${noticeId}/clarification-requests`,
      as: reviewer,
      payload: { question: 'Synthetic question.' },
    });
    await statusPass();
    expect(b.said(from).length).toBe(before);
  });
});

describe('webhook mode', () => {
  it('refuses a wrong secret token, takes a right one once even when Telegram delivers it twice', async () => {
    const secret = 'synthetic-webhook-secret-0123456789';
    const w = await createIntakeBot({
      TAPIS_TELEGRAM_INTAKE_MODE: 'webhook',
      TAPIS_TELEGRAM_INTAKE_WEBHOOK_SECRET: secret,
      TAPIS_PUBLIC_URL: 'https://tapis.example',
    });
    try {
      // On start, webhook mode registers the public URL and the secret with Telegram.
      const { startTelegramIntake } = await import('../../src/telegram-intake/service.ts');
      await (await startTelegramIntake(w.app.ctx))();
      expect(w.bot.webhook).toEqual({
        url: 'https://tapis.example/v1/telegram-intake/webhook',
        secret_token: secret,
      });
      const update = {
        update_id: 5,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 9100, type: 'private' },
          from: { id: 9100, is_bot: false, language_code: 'id' },
          text: '/help',
        },
      };
      const post = (headers: Record<string, string>, payload: unknown) =>
        w.app.request({
          method: 'POST',
          url: '/v1/telegram-intake/webhook',
          headers,
          payload: payload as object,
        });
      expect((await post({}, update)).statusCode).toBe(403);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' }, update)).statusCode).toBe(403);
      const bad = await post({ 'x-telegram-bot-api-secret-token': secret }, { message: {} });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].pointer).toBe('/update_id');
      expect((await post({ 'x-telegram-bot-api-secret-token': secret }, update)).statusCode).toBe(200);
      expect((await post({ 'x-telegram-bot-api-secret-token': secret }, update)).statusCode).toBe(200);
      await telegramDrain(w);
      expect(w.said(9100).map((m) => m.text)).toEqual([expect.stringMatching(/^Halo! /)]);
    } finally {
      await w.close();
    }
  });

  it('is not there when the bot polls', async () => {
    const response = await b.app.request({
      method: 'POST',
      url: '/v1/telegram-intake/webhook',
      headers: { 'x-telegram-bot-api-secret-token': 'x' },
      payload: { update_id: 1 },
    });
    expect(response.statusCode).toBe(404);
  });
});

async function telegramDrain(w: IntakeBot): Promise<void> {
  const { telegramIntakeOf } = await import('../../src/telegram-intake/service.ts');
  await telegramIntakeOf(w.app.ctx)!.inbox.drain();
  await w.drainOutbox();
}
