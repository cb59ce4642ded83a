import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnforcementSubject } from './connector.ts';
import { chatIdOf, messageOf, parseLink, untilBounds, untilDateOf, userIdOf } from './telegram-target.ts';

const subject = (fields: Partial<EnforcementSubject>): EnforcementSubject => ({
  platform: 'telegram',
  kind: 'message',
  key: 'k',
  url: 'https://example.org/',
  ...fields,
});

describe('Telegram targets', () => {
  it('a private chat link t.me/c/<id>/<n> addresses chat -100<id>', () => {
    expect(parseLink('https://t.me/c/1234567890/55')).toEqual({ chat: -1001234567890, message: 55 });
    expect(parseLink('t.me/c/1234567890')).toEqual({ chat: -1001234567890 });
  });

  it('a public link addresses the chat by @username, web previews and topics included', () => {
    expect(parseLink('https://t.me/example_channel/42')).toEqual({ chat: '@example_channel', message: 42 });
    expect(parseLink('https://t.me/s/example_channel/42')).toEqual({ chat: '@example_channel', message: 42 });
    expect(parseLink('https://telegram.me/example_group/7/99?single')).toEqual({
      chat: '@example_group',
      message: 99,
    });
  });

  it('a comment link names the comment apart from the post, so the post is never taken for it', () => {
    expect(parseLink('https://t.me/example_channel/42?comment=7')).toEqual({
      chat: '@example_channel',
      message: 42,
      comment: 7,
    });
    expect(messageOf(subject({ username: 'example_channel', message_id: 42, comment_id: 7 }))).toEqual({
      ok: true,
      value: { message: 42, comment: 7 },
    });
  });

  it('reads the other Telegram hosts and links without a scheme', () => {
    expect(parseLink('telegram.dog/example_channel/3')).toEqual({ chat: '@example_channel', message: 3 });
    expect(parseLink('https://www.t.me/example_channel')).toEqual({ chat: '@example_channel' });
  });

  it('invite and feature links name no chat', () => {
    expect(parseLink('https://t.me/joinchat/AAAAAE')).toBeUndefined();
    expect(parseLink('https://t.me/addstickers/pack')).toBeUndefined();
    expect(parseLink('https://example.org/c/1/2')).toBeUndefined();
  });

  it('every private message link round-trips to its chat and message', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999_999 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (id, message) => {
          expect(parseLink(`https://t.me/c/${id}/${message}`)).toEqual({
            chat: Number(`-100${id}`),
            message,
          });
        },
      ),
    );
  });

  it('an explicit chat_id wins over the link, numeric or @username', () => {
    // The t.me/c/<id> form notices record: the Bot API puts -100 in front.
    expect(chatIdOf(subject({ chat_id: '1234567890' }))).toEqual({ ok: true, value: -1001234567890 });
    expect(chatIdOf(subject({ chat_id: '-4001' }))).toEqual({ ok: true, value: -4001 });
    expect(chatIdOf(subject({ chat_id: '-1001', url: 'https://t.me/other/1' }))).toEqual({
      ok: true,
      value: -1001,
    });
    expect(chatIdOf(subject({ chat_id: 'example_group' }))).toEqual({ ok: true, value: '@example_group' });
    expect(chatIdOf(subject({ username: 'example_group' }))).toEqual({ ok: true, value: '@example_group' });
    expect(chatIdOf(subject({ chat_id: 'not a chat!' })).ok).toBe(false);
    expect(chatIdOf(subject({})).ok).toBe(false);
  });

  it('messages and users need ids the Bot API accepts', () => {
    expect(messageOf(subject({ url: 'https://t.me/example_channel/42' }))).toEqual({
      ok: true,
      value: { message: 42 },
    });
    expect(messageOf(subject({ url: 'https://t.me/example_channel' })).ok).toBe(false);
    expect(userIdOf(subject({ user_id: '5000000001' }))).toEqual({ ok: true, value: 5_000_000_001 });
    expect(userIdOf(subject({})).ok).toBe(false);
  });

  describe('until_date', () => {
    const now = new Date('2026-11-28T08:00:00Z');
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

    it('no end date means permanent, sent as no until_date at all', () => {
      expect(untilDateOf(undefined, now)).toEqual({ ok: true, value: undefined });
    });

    it('a 30-day restriction ends at that Unix time', () => {
      expect(untilDateOf(at(30 * 86400), now)).toEqual({
        ok: true,
        value: now.getTime() / 1000 + 30 * 86400,
      });
    });

    it('an end Telegram would read as "forever" is refused rather than silently made permanent', () => {
      expect(untilDateOf(at(-10), now)).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/past or under a minute/),
      });
      expect(untilDateOf(at(31), now).ok).toBe(false);
      expect(untilDateOf(at(400 * 86400), now)).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/366 days/),
      });
      expect(untilDateOf(at(untilBounds.minSeconds), now).ok).toBe(true);
      expect(untilDateOf(at(untilBounds.maxSeconds), now).ok).toBe(true);
    });
  });
});
