import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { channelForward, createIntakeBot, type IntakeBot } from '../support/intake-bot.ts';

let b: IntakeBot;
let analyst: Caller;
let ngo: Caller;

beforeAll(async () => {
  b = await createIntakeBot();
  analyst = await b.app.loginAs('analis@komdigi.example');
  ngo = await b.app.loginAs('analyst@ngo.example');
});
afterAll(() => b.close());

const newCode = async (as: Caller) => {
  const response = await b.app.request({ method: 'POST', url: '/v1/me/telegram-link', as });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { code: string; expires_at: string; command: string };
};
const lastText = (chat: number) => b.said(chat).at(-1)?.text;

describe('linking a Telegram account', () => {
  it('a flagger gets a one-time code that lasts ten minutes', async () => {
    const { code, expires_at, command } = await newCode(analyst);
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    expect(command).toBe(`/start ${code}`);
    expect(new Date(expires_at).getTime() - b.app.clock().getTime()).toBe(10 * 60_000);
  });

  it('/start CODE links the account, answered in the sender’s language, and the portal shows it', async () => {
    const { code } = await newCode(ngo);
    b.send(6001, { text: `/start ${code}` }, 'en-US');
    await b.poll();
    expect(lastText(6001)).toMatch(/^Linked as /);
    const view = (await b.app.request({ method: 'GET', url: '/v1/me/telegram-link', as: ngo })).json();
    expect(view).toMatchObject({ linked: true, language: 'en', muted: false });
  });

  it('a code works once', async () => {
    const { code } = await newCode(analyst);
    b.send(6002, { text: `/start ${code}` });
    await b.poll();
    expect(lastText(6002)).toMatch(/^Terhubung/);
    b.send(6003, { text: `/start ${code}` });
    await b.poll();
    expect(lastText(6003)).toBe(
      'Kode ini sudah dipakai. Setiap kode hanya berlaku satu kali: minta kode baru di portal.',
    );
  });

  it('an expired code is refused, and a new code replaces the one before it', async () => {
    const first = await newCode(analyst);
    b.app.clock.advance(11 * 60_000);
    b.send(6004, { text: `/start ${first.code}` }, 'en');
    await b.poll();
    expect(lastText(6004)).toMatch(/has expired \(codes last 10 minutes\)/);
    const older = await newCode(analyst);
    await newCode(analyst);
    b.send(6004, { text: `/start ${older.code}` }, 'en');
    await b.poll();
    expect(lastText(6004)).toMatch(/has expired/);
  });

  it('a mistyped or unknown code is refused without linking', async () => {
    b.send(6005, { text: '/start NOPE' }, 'en');
    b.send(6005, { text: '/start ABCDEFGHJK' }, 'en');
    await b.poll();
    expect(b.said(6005).map((m) => m.text)).toEqual([
      'This code is not known. Check it, or ask for a new one in the portal.',
      'This code is not known. Check it, or ask for a new one in the portal.',
    ]);
  });

  it('an unlinked sender gets one polite refusal in their language, and nothing else happens', async () => {
    b.send(6006, channelForward('synthetic_news', 1), 'id');
    b.send(6007, { text: 'hello' }, 'en');
    b.press(6008, 'ok:0123456789ab');
    await b.poll();
    expect(b.said(6006).map((m) => m.text)).toEqual([
      expect.stringMatching(/^Halo! Bot ini .* belum terhubung/),
    ]);
    expect(b.said(6007).map((m) => m.text)).toEqual([expect.stringMatching(/^Hello! .* is not linked/)]);
    const drafts = await b.app.ctx.db
      .selectFrom('telegram_drafts')
      .select('id')
      .where('telegram_user_id', 'in', [6006, 6007, 6008])
      .execute();
    expect(drafts).toEqual([]);
    expect(b.bot.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)?.params.text).toMatch(
      /^Halo|^Hello/,
    );
  });

  it('only users of flagger organisations link: not platform staff, not API keys', async () => {
    const reviewer = await b.app.loginAs('reviewer@platform.example');
    const staff = await b.app.request({ method: 'POST', url: '/v1/me/telegram-link', as: reviewer });
    expect(staff.statusCode).toBe(403);
    const admin = await b.app.loginAs('admin@platform.example');
    const platformAdmin = await b.app.request({ method: 'POST', url: '/v1/me/telegram-link', as: admin });
    expect(platformAdmin.statusCode).toBe(403);
    expect(platformAdmin.json().detail).toMatch(/only users of flagger organisations/);
    const key = await b.app.request({
      method: 'POST',
      url: '/v1/orgs/komdigi/keys',
      as: await b.app.loginAs('admin@komdigi.example'),
      payload: { name: 'tg-test' },
    });
    const byKey = await b.app.request({
      method: 'POST',
      url: '/v1/me/telegram-link',
      as: { key: key.json().key },
    });
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().detail).toMatch(/links to a person/);
  });

  it('unlinking in the portal or with /unlink stops the bot taking notices from that account', async () => {
    await b.link(analyst, 6010);
    expect(
      (await b.app.request({ method: 'DELETE', url: '/v1/me/telegram-link', as: analyst })).statusCode,
    ).toBe(204);
    expect(
      (await b.app.request({ method: 'DELETE', url: '/v1/me/telegram-link', as: analyst })).statusCode,
    ).toBe(404);
    b.send(6010, channelForward('synthetic_news', 2));
    await b.poll();
    expect(lastText(6010)).toMatch(/^Halo! .* belum terhubung/);

    await b.link(analyst, 6011);
    b.send(6011, { text: '/putuskan' });
    b.send(6011, { text: '/help' });
    await b.poll();
    expect(
      b
        .said(6011)
        .slice(-2)
        .map((m) => m.text),
    ).toEqual(['Akun Telegram Anda tidak lagi terhubung dengan tapis.', expect.stringMatching(/^Halo! /)]);
  });
});
