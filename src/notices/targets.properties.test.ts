import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ParseResult, parseTarget, subjectKeyOf } from './targets.ts';

// Properties of the target parser over generated input (fast-check); the cases it must know
// one by one are in targets.test.ts. Every username, id and hash here is made up.

describe('target parser properties', () => {
  const username = fc
    .stringMatching(/^[a-z][a-z0-9_]{2,30}[a-z0-9]$/)
    .filter((name) => !name.includes('__') && parseTarget(`@${name}`).ok);
  const anyCase = (name: string) => fc.mixedCase(fc.constant(name));
  const id = fc.integer({ min: 1, max: 2 ** 31 - 1 });
  const chatId = fc.stringMatching(/^[1-9][0-9]{0,11}$/);
  const inviteHash = fc.stringMatching(/^[A-Za-z0-9_-]{4,64}$/).filter((hash) => !/^\d+$/.test(hash));

  const messageForms: Array<(name: string, post: number) => string> = [
    (n, p) => `https://t.me/${n}/${p}`,
    (n, p) => `http://t.me/${n}/${p}/`,
    (n, p) => `t.me/${n}/${p}`,
    (n, p) => `www.t.me/${n}/${p}?single`,
    (n, p) => `https://telegram.me/${n}/${p}?embed=1`,
    (n, p) => `telegram.dog/${n}/${p}#x`,
    (n, p) => `https://t.me/s/${n}/${p}`,
    (n, p) => `tg://resolve?domain=${n}&post=${p}`,
    (n, p) => `tg:resolve?domain=${n}&post=${p}`,
    (n, p) => `https://${n}.t.me/${p}`,
  ];
  const chatForms: Array<(name: string) => string> = [
    (n) => `@${n}`,
    (n) => `t.me/${n}`,
    (n) => `https://telegram.me/${n}/`,
    (n) => `https://t.me/s/${n}`,
    (n) => `tg://resolve?domain=${n}`,
    (n) => `https://${n}.t.me`,
  ];
  const privateForms: Array<(chat: string, post: number) => string> = [
    (c, p) => `https://t.me/c/${c}/${p}`,
    (c, p) => `telegram.dog/c/${c}/${p}/`,
    (c, p) => `tg://privatepost?channel=${c}&post=${p}`,
  ];
  const inviteForms: Array<(hash: string) => string> = [
    (h) => `https://t.me/+${h}`,
    (h) => `t.me/joinchat/${h}`,
    (h) => `tg://join?invite=${h}`,
  ];

  /** Idempotence: the canonical url of a subject parses to that same subject. */
  function expectSameSubjectAgain(result: ParseResult): void {
    if (result.ok) expect(parseTarget(result.subject.url)).toStrictEqual(result);
  }

  it('gives every form of a message link the same key, whatever the letter case', () => {
    fc.assert(
      fc.property(
        username.chain((n) => fc.tuple(fc.constant(n), anyCase(n))),
        id,
        ([name, cased], post) => {
          const keys = messageForms.map((form) => subjectKeyOf(form(cased, post)));
          expect(new Set(keys)).toEqual(new Set([`telegram:message:${name}/${post}`]));
        },
      ),
    );
  });

  it('gives every form of a chat link the same key', () => {
    fc.assert(
      fc.property(
        username.chain((n) => fc.tuple(fc.constant(n), anyCase(n))),
        ([name, cased]) => {
          const keys = chatForms.map((form) => subjectKeyOf(form(cased)));
          expect(new Set(keys)).toEqual(new Set([`telegram:username:${name}`]));
        },
      ),
    );
  });

  it('gives every form of a private message link and of an invite the same key', () => {
    fc.assert(
      fc.property(chatId, id, inviteHash, (chat, post, hash) => {
        expect(new Set(privateForms.map((form) => subjectKeyOf(form(chat, post))))).toEqual(
          new Set([`telegram:private:${chat}/${post}`]),
        );
        expect(new Set(inviteForms.map((form) => subjectKeyOf(form(hash))))).toEqual(
          new Set([`telegram:invite:${hash}`]),
        );
      }),
    );
  });

  it('parses the canonical url of any Telegram subject back to the same subject', () => {
    const target = fc.oneof(
      fc.tuple(username, id, fc.constantFrom(...messageForms)).map(([n, p, form]) => form(n, p)),
      fc.tuple(username, id, id).map(([n, thread, p]) => `t.me/${n}/${thread}/${p}`),
      fc.tuple(username, id, id).map(([n, p, comment]) => `t.me/${n}/${p}?comment=${comment}`),
      fc.tuple(username, fc.constantFrom(...chatForms)).map(([n, form]) => form(n)),
      fc.tuple(chatId, id, fc.constantFrom(...privateForms)).map(([c, p, form]) => form(c, p)),
      chatId.map((c) => `t.me/c/${c}`),
      fc.tuple(inviteHash, fc.constantFrom(...inviteForms)).map(([h, form]) => form(h)),
    );
    fc.assert(
      fc.property(target, (input) => {
        const result = parseTarget(input);
        expect(result.ok).toBe(true);
        expectSameSubjectAgain(result);
      }),
    );
  });

  it('parses the canonical url of any web subject back to the same subject', () => {
    const authoritySettings = { withIPv4: true, withIPv4Extended: true, withIPv6: true, withPort: true };
    const url = fc.webUrl({ authoritySettings, withQueryParameters: true, withFragments: true });
    fc.assert(fc.property(url, (input) => expectSameSubjectAgain(parseTarget(input))));
  });

  it('never throws, and always answers with a subject or a reason', () => {
    const linkish = fc
      .array(
        fc.constantFrom(
          't.me',
          'telegram.me',
          '/',
          '//',
          '@',
          '+',
          'c',
          's',
          'tg:',
          'resolve',
          'privatepost',
          'join',
          '?',
          '&',
          'domain=',
          'post=',
          'channel=',
          'invite=',
          'comment=',
          'thread=',
          '1',
          '0',
          '-100',
          '2147483648',
          'joinchat',
          'https://',
          'http:',
          'kabar',
          '_',
          'bot',
          '.',
          ':',
          '#',
          '%',
          '%2F',
          '[::1]',
          'xn--',
          'ä',
          '\u200b',
          ' ',
        ),
        { maxLength: 14 },
      )
      .map((parts) => parts.join(''));
    const anything = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      linkish,
    );
    fc.assert(
      fc.property(anything, (input) => {
        const result = parseTarget(input);
        if (result.ok) expect(result.subject.key.length).toBeGreaterThan(0);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
