import { describe, expect, it } from 'vitest';
import { describeSubject, parseTarget, type Subject, subjectKeyOf } from './targets.ts';

// Every username, id and hash here is made up.

function subjectOf(input: string, hint?: Parameters<typeof parseTarget>[1]): Subject {
  const result = parseTarget(input, hint);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.reason}`);
  return result.subject;
}

function reasonOf(input: string): string {
  const result = parseTarget(input);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.subject.key}`);
  return result.reason;
}

const channel = {
  platform: 'telegram',
  kind: 'channel',
  username: 'kabar_contoh',
  key: 'telegram:username:kabar_contoh',
  url: 'https://t.me/kabar_contoh',
};
const message = {
  platform: 'telegram',
  kind: 'message',
  username: 'kabar_contoh',
  message_id: 123,
  key: 'telegram:message:kabar_contoh/123',
  url: 'https://t.me/kabar_contoh/123',
};

describe('public Telegram links', () => {
  it.each([
    'https://t.me/kabar_contoh',
    'http://t.me/kabar_contoh',
    't.me/kabar_contoh',
    'https://www.t.me/kabar_contoh/',
    '@kabar_contoh',
    '@Kabar_Contoh',
    'https://telegram.me/kabar_contoh',
    'telegram.dog/kabar_contoh',
    'https://t.me/s/kabar_contoh',
    'tg://resolve?domain=kabar_contoh',
    'tg:resolve?domain=Kabar_Contoh',
    'https://kabar_contoh.t.me',
    'https://t.me/kabar_contoh?start=hello',
    '  https://T.ME/KABAR_CONTOH  ',
  ])('%s names the public chat @kabar_contoh', (input) => {
    expect(subjectOf(input)).toStrictEqual(channel);
  });

  it.each([
    'https://t.me/kabar_contoh/123',
    't.me/kabar_contoh/123',
    't.me/kabar_contoh/123/',
    'www.t.me/Kabar_Contoh/123',
    'https://t.me/kabar_contoh/123?single',
    'https://t.me/kabar_contoh/123?embed=1&mode=tme',
    'https://t.me/kabar_contoh/123?t=42',
    'https://t.me/kabar_contoh/123#fragment',
    'https://t.me/s/kabar_contoh/123',
    'https://telegram.me/kabar_contoh/123',
    'http://telegram.dog/kabar_contoh/123',
    'tg://resolve?domain=kabar_contoh&post=123',
    'tg:resolve?domain=KABAR_CONTOH&post=123&single',
    'https://kabar_contoh.t.me/123',
    'https://t.me./kabar_contoh/123',
  ])('%s names message 123 in @kabar_contoh', (input) => {
    expect(subjectOf(input)).toStrictEqual(message);
  });

  it('reads a forum topic from the path and keeps the key of the message alone', () => {
    const topic = { ...message, thread_id: 7, url: 'https://t.me/kabar_contoh/7/123' };
    expect(subjectOf('https://t.me/kabar_contoh/7/123')).toStrictEqual(topic);
    expect(subjectOf('https://t.me/kabar_contoh/123?thread=7')).toStrictEqual(topic);
    expect(subjectOf('tg://resolve?domain=kabar_contoh&post=123&thread=7')).toStrictEqual(topic);
  });

  it('names a comment in the discussion group, not the channel post it hangs under', () => {
    const comment = {
      ...message,
      comment_id: 456,
      key: 'telegram:message:kabar_contoh/123?comment=456',
      url: 'https://t.me/kabar_contoh/123?comment=456',
    };
    expect(subjectOf('https://t.me/kabar_contoh/123?comment=456')).toStrictEqual(comment);
    expect(subjectOf('tg://resolve?domain=kabar_contoh&post=123&comment=456')).toStrictEqual(comment);
    expect(subjectOf('https://t.me/kabar_contoh/123?comment=456&thread=123')).toStrictEqual(comment);
  });

  it('accepts message ids up to the 32-bit limit of MTProto', () => {
    expect(subjectOf('t.me/kabar_contoh/2147483647')).toMatchObject({ message_id: 2147483647 });
    expect(subjectOf('t.me/kabar_contoh/0042')).toMatchObject({
      message_id: 42,
      url: 'https://t.me/kabar_contoh/42',
    });
  });

  it('accepts 4-letter collectible usernames and 32-character ones', () => {
    expect(subjectOf('@abcd')).toMatchObject({ username: 'abcd', key: 'telegram:username:abcd' });
    const longest = `a${'b1'.repeat(15)}c`;
    expect(subjectOf(`t.me/${longest}`)).toMatchObject({ username: longest });
  });
});

describe('kinds', () => {
  it('calls a username ending in "bot", in any case, a bot', () => {
    expect(subjectOf('https://t.me/Contoh_Bot')).toStrictEqual({
      platform: 'telegram',
      kind: 'bot',
      username: 'contoh_bot',
      key: 'telegram:username:contoh_bot',
      url: 'https://t.me/contoh_bot',
    });
    expect(subjectOf('@contohBOT').kind).toBe('bot');
  });

  it('calls a message from a bot-named chat a message', () => {
    expect(subjectOf('t.me/contoh_bot/5')).toMatchObject({ kind: 'message', username: 'contoh_bot' });
  });

  it('takes group and account only from the hint, and keeps the key so notices still join one case', () => {
    expect(subjectOf('t.me/kabar_contoh', 'group')).toStrictEqual({ ...channel, kind: 'group' });
    expect(subjectOf('@kabar_contoh', 'account')).toStrictEqual({ ...channel, kind: 'account' });
    expect(subjectOf('@contoh_bot', 'channel').kind).toBe('channel');
    expect(subjectOf('t.me/c/1234567890', 'group')).toMatchObject({
      kind: 'group',
      key: 'telegram:private:1234567890',
    });
  });

  it('lets the hint leave messages, invites and web pages alone', () => {
    expect(subjectOf('t.me/kabar_contoh/123', 'group')).toStrictEqual(message);
    expect(subjectOf('t.me/+AbCdEfGh1234', 'group').kind).toBe('invite');
    expect(subjectOf('https://example.com/', 'account').kind).toBe('url');
  });

  it('refuses an account hint on a private channel link, and a hint it does not know', () => {
    const account = parseTarget('t.me/c/1234567890', 'account');
    expect(account).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot name an account/) });
    const unknown = parseTarget('@kabar_contoh', 'user' as 'account');
    expect(unknown).toMatchObject({ ok: false, reason: expect.stringMatching(/hint 'user'/) });
  });
});

describe('private channel links', () => {
  const privateMessage = {
    platform: 'telegram',
    kind: 'message',
    chat_id: '1234567890',
    message_id: 55,
    key: 'telegram:private:1234567890/55',
    url: 'https://t.me/c/1234567890/55',
  };

  it.each([
    'https://t.me/c/1234567890/55',
    't.me/c/1234567890/55/',
    'https://telegram.me/c/1234567890/55?single',
    'tg://privatepost?channel=1234567890&post=55',
  ])('%s names message 55 in private channel 1234567890', (input) => {
    expect(subjectOf(input)).toStrictEqual(privateMessage);
  });

  it('reads a topic in a private supergroup', () => {
    expect(subjectOf('https://t.me/c/1234567890/3/55')).toStrictEqual({
      ...privateMessage,
      thread_id: 3,
      url: 'https://t.me/c/1234567890/3/55',
    });
  });

  it('names the private chat itself when there is no message id', () => {
    expect(subjectOf('https://t.me/c/1234567890')).toStrictEqual({
      platform: 'telegram',
      kind: 'channel',
      chat_id: '1234567890',
      key: 'telegram:private:1234567890',
      url: 'https://t.me/c/1234567890',
    });
  });
});

describe('invite links', () => {
  const invite = {
    platform: 'telegram',
    kind: 'invite',
    invite_hash: 'AbCd-EfGh_1234xy',
    key: 'telegram:invite:AbCd-EfGh_1234xy',
    url: 'https://t.me/+AbCd-EfGh_1234xy',
  };

  it.each([
    'https://t.me/+AbCd-EfGh_1234xy',
    't.me/+AbCd-EfGh_1234xy/',
    'https://t.me/joinchat/AbCd-EfGh_1234xy',
    'telegram.me/joinchat/AbCd-EfGh_1234xy',
    'tg://join?invite=AbCd-EfGh_1234xy',
  ])('%s is the same invite, with the case of its hash kept', (input) => {
    expect(subjectOf(input)).toStrictEqual(invite);
  });

  it('tells invites whose hashes differ only in case apart', () => {
    expect(subjectKeyOf('t.me/+abcdefgh1234')).not.toBe(subjectKeyOf('t.me/+ABCDEFGH1234'));
  });
});

describe('equivalent forms of one location', () => {
  it('share one key across hosts, schemes, tg: links, the web preview, @mentions and letter case', () => {
    const forms = [
      'https://t.me/Kabar_Contoh/9',
      'http://telegram.me/kabar_contoh/9',
      'telegram.dog/KABAR_CONTOH/9',
      'https://t.me/s/kabar_contoh/9',
      'tg://resolve?domain=kabar_contoh&post=9',
      'https://kabar_contoh.t.me/9',
      'https://t.me/kabar_contoh/4/9',
    ];
    expect(new Set(forms.map(subjectKeyOf))).toEqual(new Set(['telegram:message:kabar_contoh/9']));
    const chats = [
      '@Kabar_Contoh',
      't.me/kabar_contoh',
      'tg://resolve?domain=KABAR_contoh',
      'https://t.me/s/kabar_contoh',
    ];
    expect(new Set(chats.map(subjectKeyOf))).toEqual(new Set(['telegram:username:kabar_contoh']));
  });

  it('keeps a channel, a message in it and a comment on that message apart', () => {
    const keys = ['t.me/kabar_contoh', 't.me/kabar_contoh/9', 't.me/kabar_contoh/9?comment=1'].map(
      subjectKeyOf,
    );
    expect(new Set(keys).size).toBe(3);
  });

  it('gives null for a target that does not parse', () => {
    expect(subjectKeyOf('t.me/ab')).toBeNull();
  });
});

describe('malformed targets', () => {
  it.each([
    ['', /the target is empty/],
    ['   \t ', /blank/],
    [`https://example.com/${'x'.repeat(2040)}`, /2060 characters long; the limit is 2048/],
    ['javascript:alert(1)', /uses the javascript: scheme/],
    ['data:text/html,<b>hi</b>', /uses the data: scheme/],
    ['file:///etc/passwd', /uses the file: scheme/],
    ['ftp://example.com/file', /uses the ftp: scheme/],
    ['http://localhost:3000/admin', /local or private host \(localhost\)/],
    ['http://printer.local/', /local or private host \(printer\.local\)/],
    ['http://127.0.0.1/', /private, local or reserved address \(127\.0\.0\.1\)/],
    ['http://0x7f.1/', /private, local or reserved address \(127\.0\.0\.1\)/],
    ['http://192.168.1.10/router', /private, local or reserved address \(192\.168\.1\.10\)/],
    ['http://169.254.169.254/latest/meta-data', /private, local or reserved address/],
    ['http://[::1]/', /private, local or reserved address \(\[::1\]\)/],
    ['http://[fd00::1]/', /private, local or reserved address/],
    ['http://[::ffff:10.0.0.1]/', /private, local or reserved address/],
    ['https://intranet/wiki', /no public host name \('intranet' is a single word\)/],
    ['https://t.me/kabar_contoh\u200b', /invisible or control character \(U\+200B\)/],
    ['https://t.me/\u202Ehotnoc_rabak', /invisible or control character \(U\+202E\)/],
    ['t.me/kabar\u0000contoh', /invisible or control character \(U\+0000\)/],
    ['t.me/kabar_contoh t.me/lain_contoh', /contains a space or line break/],
    ['https://', /is not a valid URL/],
    ['t.me/ab', /not a Telegram username: 'ab' is too short/],
    [`t.me/${'a'.repeat(33)}`, /not a Telegram username: '.*' is too long/],
    ['t.me/1kabar', /not a Telegram username: '1kabar' does not start with a letter/],
    ['t.me/_kabar', /not a Telegram username: '_kabar' does not start with a letter/],
    ['t.me/kabar_', /not a Telegram username: 'kabar_' ends with _/],
    ['t.me/kabar__contoh', /not a Telegram username: 'kabar__contoh' has two _ in a row/],
    [
      't.me/kabar-contoh/5',
      /not a Telegram username: 'kabar-contoh' has '-', which is not a letter, digit or _/,
    ],
    ['@', /not a Telegram username: the username is missing/],
    ['@abc', /'abc' is too short/],
    ['@kabar_contoh/5', /has '\/', which is not a letter/],
    ['t.me/kabar_contoh/0', /has '0' as its message id; ids are whole numbers from 1 to 2147483647/],
    ['t.me/kabar_contoh/-5', /has '-5' as its message id/],
    ['t.me/kabar_contoh/2147483648', /has '2147483648' as its message id/],
    [`t.me/kabar_contoh/${'9'.repeat(30)}`, /has '9{23}…' as its message id/],
    ['t.me/kabar_contoh/123?thread=abc', /has 'abc' as its thread id/],
    ['t.me/kabar_contoh/123?comment=', /has '' as its comment id/],
    ['t.me/kabar_contoh/1/2/3', /more path segments than a Telegram message link/],
    ['https://t.me/kabar_contoh/s/12', /links to a story; stories are not a supported target yet/],
    ['t.me/c/abc/55', /has 'abc' as its chat id; t.me\/c\/ ids are 1 to 12 digits/],
    ['t.me/c/-1001234567890/55', /a Bot API chat id; t.me\/c\/ links use the digits after -100/],
    ['t.me/c/1234567890123/55', /as its chat id/],
    ['t.me/c/1234567890/abc', /has 'abc' as its message id/],
    ['t.me/c/', /has no chat id after t\.me\/c\//],
    ['t.me/s/', /has no username after t\.me\/s\//],
    ['t.me/+', /has no invite hash/],
    ['t.me/joinchat/', /has no invite hash/],
    ['t.me/joinchat/Ab$Cd!', /as its invite hash; hashes are 4–64 letters, digits, - or _/],
    ['t.me/+AbCdEfGh/extra', /more path after the invite hash/],
    ['t.me/+6281234567890', /phone-number link/],
    ['tg://resolve?phone=6281234567890', /phone-number link/],
    ['tg://resolve?post=123', /has no domain= \(the username to open\)/],
    ['tg://resolve?domain=kabar_contoh&post=abc', /has 'abc' as its message id/],
    ['tg://privatepost?channel=abc&post=1', /has 'abc' as its chat id/],
    ['tg://privatepost?channel=1234567890', /has no post= \(the message id\)/],
    ['tg://join', /has no invite hash/],
    ['tg://settings', /a tg: link to a Telegram feature \(settings\)/],
    ['https://t.me/', /links to t\.me itself/],
    ['t.me/addstickers/ContohPack', /a Telegram service link \(t\.me\/addstickers\/…\)/],
    ['https://t.me/share/url?url=https://example.com', /a Telegram service link \(t\.me\/share\/…\)/],
    ['@joinchat', /names 'joinchat', which is a Telegram feature, not a username/],
    ['https://boost.t.me/', /t\.me subdomain \('boost'\) that is not a Telegram username/],
    ['https://a.b.t.me/', /t\.me subdomain \('a\.b'\)/],
    ['kabar_contoh', /is not a link or an @username; write @kabar_contoh or t\.me\/kabar_contoh/],
    ['example.com/page', /has no scheme; give the full link/],
  ])('refuses %j: %s', (input, reason) => {
    expect(reasonOf(input)).toMatch(reason);
  });

  it('quotes the target at the start of the reason, to read after "targets[3]: "', () => {
    expect(reasonOf('t.me/ab')).toBe(
      "'t.me/ab' is not a Telegram username: 'ab' is too short (usernames have 4–32 letters, digits or _ and start with a letter)",
    );
  });

  it('never repeats a password back', () => {
    for (const input of [
      'https://kabar:rahasia@example.com/',
      'kabar:rahasia@t.me/kabar_contoh',
      'tg://kabar:rahasia@resolve?domain=x',
    ]) {
      const reason = reasonOf(input);
      expect(reason).toMatch(/contains a user name or password/);
      expect(reason).not.toMatch(/rahasia/);
    }
  });

  it('cuts long targets short in the reason', () => {
    const reason = reasonOf(`ftp://example.com/${'x'.repeat(500)}`);
    expect(reason.length).toBeLessThan(200);
    expect(reason).toMatch(/x…' uses the ftp: scheme/);
  });

  it('refuses a value that is not a string, for callers outside the type checker', () => {
    expect(parseTarget(42 as unknown as string)).toEqual({ ok: false, reason: 'the target is not a string' });
  });
});

describe('describeSubject', () => {
  it.each([
    ['t.me/kabar_contoh/123', 'message 123 in @kabar_contoh'],
    ['t.me/kabar_contoh/7/123', 'message 123 (thread 7) in @kabar_contoh'],
    ['t.me/kabar_contoh/123?comment=456', 'comment 456 on message 123 in @kabar_contoh'],
    ['t.me/c/1234567890/55', 'message 55 in private chat 1234567890'],
    ['t.me/c/1234567890', 'private chat 1234567890'],
    ['@kabar_contoh', '@kabar_contoh'],
    ['@contoh_bot', 'bot @contoh_bot'],
    ['t.me/+AbCdEfGh1234', 'invite link t.me/+AbCdEfGh1234'],
    ['https://www.example.com/x?y=1', 'web page on www.example.com'],
  ])('labels %s as "%s"', (input, label) => {
    expect(describeSubject(subjectOf(input))).toBe(label);
  });

  it('labels hinted chats with their kind', () => {
    expect(describeSubject(subjectOf('@kabar_contoh', 'group'))).toBe('group @kabar_contoh');
    expect(describeSubject(subjectOf('t.me/c/1234567890', 'group'))).toBe('private group 1234567890');
  });
});
