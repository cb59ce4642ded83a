/**
 * Targets: every form a location comes in, turned into one canonical subject, so that notices
 * about the same thing join one case (issue 3 §2). Pure: no I/O, no clock.
 *
 * Telegram forms follow Telegram's deep-link documentation (https://core.telegram.org/api/links):
 * t.me, telegram.me and telegram.dog are one host; <username>.t.me is t.me/<username>; tg: links
 * carry the same data as query parameters; the #fragment is always ignored.
 *
 * Kinds. Users, bots, channels and groups share one username namespace, so a link cannot tell
 * them apart. `channel` therefore means "a public chat or account, by username"; `bot` is read
 * from the "bot" suffix Telegram requires of bot usernames; `group` and `account` come only from
 * the caller's hint. The key never depends on the kind, so a hinted and an unhinted notice about
 * the same username join one case.
 *
 * Other http(s) URLs become web subjects (see `webSubject` for how they are made canonical).
 * Every refusal's reason reads after "targets[3]: ", and names what is wrong.
 */
import { Refusal } from "./target-refusal.js";
import { webSubject } from "./web-targets.js";
const MAX_TARGET_LENGTH = 2048;
/** MTProto message ids are `int`: signed 32-bit, and positive. */
const MAX_MESSAGE_ID = 2 ** 31 - 1;
/** MTProto channel ids stay below 10^12 (the Bot API adds -100 in front of at most 12 digits). */
const MAX_CHAT_ID_DIGITS = 12;
const TELEGRAM_HOSTS = new Set(words('t.me telegram.me telegram.dog www.t.me www.telegram.me www.telegram.dog'));
const HINTS = ['channel', 'group', 'account'];
function words(list) {
    return list.split(' ');
}
/**
 * First path segments of t.me that are Telegram features, not usernames: the list of
 * <subdomain>.t.me names the deep-link documentation excludes, plus the path-only forms it
 * documents (iv, bg, msg, s, c).
 */
const SERVICE_PATHS = new Set(words('a addemoji addlist addstickers addstyle addtheme auction auth bg boost c call confirmphone contact giftcode ' +
    'invoice iv joinchat k login m msg nft proxy s setlanguage share socks web z'));
/** Control (Cc), format (Cf: bidi overrides, zero-width, BOM, tags) and lone surrogates (Cs). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
const SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d)/i;
export function parseTarget(input, hint) {
    if (typeof input !== 'string')
        return { ok: false, reason: 'the target is not a string' };
    if (hint !== undefined && !HINTS.includes(hint)) {
        return { ok: false, reason: `the hint '${String(hint)}' is not one of channel, group or account` };
    }
    const text = input.trim();
    const surface = surfaceProblem(input, text);
    if (surface !== undefined)
        return { ok: false, reason: surface };
    try {
        const subject = parseText(text);
        return { ok: true, subject: hint === undefined ? subject : applyHint(subject, hint) };
    }
    catch (error) {
        if (!(error instanceof Refusal))
            throw error;
        return { ok: false, reason: error.echo ? `${quoted(text)} ${error.message}` : error.message };
    }
}
export function subjectKeyOf(input) {
    const result = parseTarget(input);
    return result.ok ? result.subject.key : null;
}
/** A short label for people: "message 123 in @somechannel". */
export function describeSubject(subject) {
    if (subject.platform === 'web')
        return `web page on ${subject.host}`;
    if (subject.kind === 'invite')
        return `invite link t.me/+${subject.invite_hash}`;
    if (subject.kind !== 'message')
        return chatLabel(subject);
    const chat = subject.username !== undefined ? `@${subject.username}` : `private chat ${subject.chat_id}`;
    if (subject.comment_id !== undefined) {
        return `comment ${subject.comment_id} on message ${subject.message_id} in ${chat}`;
    }
    const topic = subject.thread_id !== undefined ? ` (thread ${subject.thread_id})` : '';
    return `message ${subject.message_id}${topic} in ${chat}`;
}
/** `channel` is only "a chat or account by username", so it gets no noun of its own. */
function chatLabel(subject) {
    if (subject.username === undefined) {
        return `private ${subject.kind === 'group' ? 'group' : 'chat'} ${subject.chat_id}`;
    }
    return subject.kind === 'channel' ? `@${subject.username}` : `${subject.kind} @${subject.username}`;
}
// ── The input as a whole ─────────────────────────────────────────────────────────────────────
function surfaceProblem(input, text) {
    if (input.length > MAX_TARGET_LENGTH) {
        return `the target is ${input.length} characters long; the limit is ${MAX_TARGET_LENGTH}`;
    }
    if (input.length === 0)
        return 'the target is empty';
    if (text.length === 0)
        return 'the target is blank (only whitespace)';
    const hidden = INVISIBLE.exec(text)?.[0];
    if (hidden !== undefined) {
        // Bidi overrides and zero-width characters make a link read as something it is not.
        return `the target contains an invisible or control character (${codePoint(hidden)}); type it again rather than pasting it`;
    }
    if (/\s/u.test(text))
        return `${quoted(text)} contains a space or line break; give one link per target`;
    return undefined;
}
function parseText(text) {
    if (text.startsWith('@'))
        return chatSubject({ username: parseUsername(text.slice(1)) });
    const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
    if (scheme === undefined)
        return parseSchemeless(text);
    if (scheme === 'tg')
        return parseTgLink(parseUrl(text));
    if (scheme === 'http' || scheme === 'https')
        return parseHttpUrl(parseUrl(text));
    // "user:pass@host" reads as a scheme "user:"; say so without echoing the password.
    const asHost = tryUrl(`https://${text}`);
    if (asHost !== undefined)
        assertNoCredentials(asHost);
    throw new Refusal(`uses the ${scheme}: scheme; give an http(s) link, a t.me link or an @username`);
}
/** "t.me/name" is how people write Telegram links; any other host needs its scheme. */
function parseSchemeless(text) {
    const url = tryUrl(`https://${text}`);
    if (url !== undefined)
        assertNoCredentials(url);
    if (url !== undefined && telegramPath(url) !== undefined)
        return parseHttpUrl(url);
    if (/^[a-z][a-z0-9_]{3,31}$/i.test(text)) {
        throw new Refusal(`is not a link or an @username; write @${text} or t.me/${text}`);
    }
    throw new Refusal('has no scheme; give the full link (https://…), a t.me link or an @username');
}
function parseUrl(text) {
    const url = tryUrl(text);
    if (url === undefined)
        throw new Refusal('is not a valid URL');
    assertNoCredentials(url);
    return url;
}
/** A password in a link must not travel on into reasons, logs or the case file. */
function assertNoCredentials(url) {
    if (url.username !== '' || url.password !== '') {
        throw new Refusal('the link contains a user name or password (user:pass@…); remove them and send it again', false);
    }
}
function tryUrl(text) {
    return URL.canParse(text) ? new URL(text) : undefined;
}
function parseHttpUrl(url) {
    const path = telegramPath(url);
    return path === undefined ? webSubject(url) : parseTelegramPath(path, url.searchParams);
}
/** The path segments of a t.me link (with <username>.t.me folded in), or undefined for other hosts. */
function telegramPath(url) {
    const host = url.hostname.replace(/\.$/, '');
    const segments = url.pathname.split('/').filter((segment) => segment !== '');
    if (TELEGRAM_HOSTS.has(host))
        return segments;
    if (!host.endsWith('.t.me'))
        return undefined;
    // Deep links: <username>.t.me is t.me/<username>/, unless it is one letter, www or a feature
    // name (the first two are too short to be usernames anyway).
    const label = host.slice(0, -'.t.me'.length);
    if (label.includes('.') || SERVICE_PATHS.has(label) || usernameProblem(label) !== undefined) {
        throw new Refusal(`has a t.me subdomain ('${label}') that is not a Telegram username`);
    }
    return [label, ...segments];
}
function parseTelegramPath(path, query) {
    const [head, ...rest] = path;
    if (head === undefined)
        throw new Refusal('links to t.me itself, not to a chat, channel or message');
    const lower = head.toLowerCase();
    if (head.startsWith('+'))
        return plusLink(head.slice(1), rest);
    if (lower === 's')
        return publicLink(rest, query, 't.me/s/'); // the web preview of a public channel
    if (lower === 'c')
        return privateLink(rest, query);
    if (lower === 'joinchat')
        return inviteSubject(onlySegment(rest, 'invite hash'));
    if (SERVICE_PATHS.has(lower)) {
        throw new Refusal(`is a Telegram service link (t.me/${lower}/…), not a chat, channel, bot or message`);
    }
    return publicLink(path, query, 't.me/');
}
/** t.me/<username>, t.me/<username>/<id>, t.me/<username>/<thread>/<id>. */
function publicLink(path, query, prefix) {
    const [name, ...ids] = path;
    if (name === undefined)
        throw new Refusal(`has no username after ${prefix}`);
    if (ids[0]?.toLowerCase() === 's') {
        throw new Refusal('links to a story; stories are not a supported target yet: give the channel or account');
    }
    return chatSubject({ username: parseUsername(name) }, messageFromPath(ids, query));
}
/** t.me/c/<channel>/<id>: a message in a private channel or supergroup, by its MTProto id. */
function privateLink(path, query) {
    const [id, ...ids] = path;
    if (id === undefined)
        throw new Refusal('has no chat id after t.me/c/');
    return chatSubject({ chat_id: parseChatId(id) }, messageFromPath(ids, query));
}
/** t.me/+<hash> is an invite; t.me/+<digits> is a phone-number link (deep-link documentation). */
function plusLink(rest, extra) {
    if (/^\d+$/.test(rest)) {
        throw new Refusal('is a phone-number link; give the account by its username or a message link instead');
    }
    if (extra.length > 0)
        throw new Refusal('has more path after the invite hash than an invite link has');
    return inviteSubject(rest);
}
function onlySegment(rest, what) {
    if (rest.length > 1)
        throw new Refusal(`has more path after the ${what} than this kind of link has`);
    return rest[0] ?? '';
}
function messageFromPath(ids, query) {
    if (ids.length > 2) {
        throw new Refusal('has more path segments than a Telegram message link (…/<thread>/<message>)');
    }
    const [first, second] = ids;
    if (first === undefined)
        return undefined;
    const post = second ?? first;
    const thread = second === undefined ? query.get('thread') : first;
    return messageRef(post, thread, query.get('comment'));
}
function messageRef(post, thread, comment) {
    if (post === null)
        return undefined;
    const ref = { message_id: parseMessageId(post, 'message') };
    // A comment lives in the discussion group, a different chat, so its own id says which message is
    // meant; the thread of a comment link is the post itself and adds nothing.
    if (comment !== null)
        ref.comment_id = parseMessageId(comment, 'comment');
    else if (thread !== null)
        ref.thread_id = parseMessageId(thread, 'thread');
    return ref;
}
/** tg://resolve, tg://privatepost and tg://join: the tg: forms of the same links. */
function parseTgLink(url) {
    // tg://resolve?… puts the action in the host, tg:resolve?… in the path.
    const action = (url.host || url.pathname).replace(/^\/+|\/+$/g, '').toLowerCase();
    const query = url.searchParams;
    const messageOf = () => messageRef(query.get('post'), query.get('thread'), query.get('comment'));
    if (action === 'resolve') {
        if (query.has('phone')) {
            throw new Refusal('is a phone-number link; give the account by its username instead');
        }
        const domain = query.get('domain');
        if (!domain)
            throw new Refusal('has no domain= (the username to open)');
        return chatSubject({ username: parseUsername(domain) }, messageOf());
    }
    if (action === 'privatepost') {
        const channel = query.get('channel');
        if (!channel)
            throw new Refusal('has no channel= (the private channel id)');
        if (!query.has('post'))
            throw new Refusal('has no post= (the message id)');
        return chatSubject({ chat_id: parseChatId(channel) }, messageOf());
    }
    if (action === 'join')
        return inviteSubject(query.get('invite') ?? '');
    throw new Refusal(`is a tg: link to a Telegram feature (${action || 'none'}), not to a chat, channel or message`);
}
function parseUsername(name) {
    const problem = usernameProblem(name);
    if (problem !== undefined) {
        throw new Refusal(`is not a Telegram username: ${problem} (usernames have 4–32 letters, digits or _ and start with a letter)`);
    }
    const lower = name.toLowerCase();
    if (SERVICE_PATHS.has(lower)) {
        throw new Refusal(`names '${lower}', which is a Telegram feature, not a username`);
    }
    return lower;
}
/**
 * Telegram's rules: letters a–z, digits and _, starting with a letter, not ending in _, no __.
 * The floor is 4, not the 5 of ordinary usernames, because Fragment sells 4-letter collectible
 * usernames that channels use (https://core.telegram.org/api/fragment); refusing one would lose a notice.
 */
function usernameProblem(name) {
    const shown = quoted(name, 40);
    if (name === '')
        return 'the username is missing';
    const bad = /[^a-z0-9_]/i.exec(name)?.[0];
    if (bad !== undefined)
        return `${shown} has ${quoted(bad)}, which is not a letter, digit or _`;
    if (name.length < 4)
        return `${shown} is too short`;
    if (name.length > 32)
        return `${shown} is too long`;
    if (!/^[a-z]/i.test(name))
        return `${shown} does not start with a letter`;
    if (name.endsWith('_'))
        return `${shown} ends with _`;
    if (name.includes('__'))
        return `${shown} has two _ in a row`;
    return undefined;
}
function parseMessageId(text, what) {
    const value = /^\d{1,10}$/.test(text) ? Number(text) : 0;
    if (value < 1 || value > MAX_MESSAGE_ID) {
        throw new Refusal(`has ${quoted(text, 24)} as its ${what} id; ids are whole numbers from 1 to ${MAX_MESSAGE_ID}`);
    }
    return value;
}
function parseChatId(text) {
    if (/^-100\d+$/.test(text)) {
        throw new Refusal(`has ${quoted(text, 24)}, a Bot API chat id; t.me/c/ links use the digits after -100`);
    }
    if (!/^[1-9]\d*$/.test(text) || text.length > MAX_CHAT_ID_DIGITS) {
        throw new Refusal(`has ${quoted(text, 24)} as its chat id; t.me/c/ ids are 1 to ${MAX_CHAT_ID_DIGITS} digits`);
    }
    return text;
}
/** Invite hashes are base64url text; case matters. */
function inviteSubject(hash) {
    if (hash === '')
        throw new Refusal('has no invite hash');
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(hash)) {
        throw new Refusal(`has ${quoted(hash, 24)} as its invite hash; hashes are 4–64 letters, digits, - or _`);
    }
    return {
        platform: 'telegram',
        kind: 'invite',
        invite_hash: hash,
        key: `telegram:invite:${hash}`,
        url: `https://t.me/+${hash}`,
    };
}
/**
 * Keys: telegram:username:<name>, telegram:private:<id>, and for messages
 * telegram:message:<name>/<id> or telegram:private:<id>/<message>, with ?comment=<id> for a
 * comment. The thread is left out of the key: a message id alone is unique in its chat.
 */
function chatSubject(chat, message) {
    const isPublic = 'username' in chat;
    const chatPath = isPublic ? chat.username : `c/${chat.chat_id}`;
    const chatKey = isPublic ? chat.username : chat.chat_id;
    if (message === undefined) {
        const kind = isPublic && /bot$/.test(chat.username) ? 'bot' : 'channel';
        const key = isPublic ? `telegram:username:${chatKey}` : `telegram:private:${chatKey}`;
        return { platform: 'telegram', kind, ...chat, key, url: `https://t.me/${chatPath}` };
    }
    const { message_id, thread_id, comment_id } = message;
    const comment = comment_id === undefined ? '' : `?comment=${comment_id}`;
    const threadPath = thread_id === undefined ? '' : `/${thread_id}`;
    return {
        platform: 'telegram',
        kind: 'message',
        ...chat,
        ...message,
        key: `telegram:${isPublic ? 'message' : 'private'}:${chatKey}/${message_id}${comment}`,
        url: `https://t.me/${chatPath}${threadPath}/${message_id}${comment}`,
    };
}
function applyHint(subject, hint) {
    const namesAChat = subject.platform === 'telegram' && subject.kind !== 'message' && subject.kind !== 'invite';
    if (!namesAChat)
        return subject;
    if (subject.chat_id !== undefined && hint === 'account') {
        throw new Refusal('is a private channel or supergroup link (t.me/c/…), so it cannot name an account');
    }
    return { ...subject, kind: hint };
}
// ── Reasons ──────────────────────────────────────────────────────────────────────────────────
/** The input as shown in a reason: quoted, cut short, anything invisible written as U+XXXX. */
function quoted(text, max = 80) {
    const chars = Array.from(text);
    const cut = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
    return `'${cut.replace(new RegExp(INVISIBLE.source, 'gu'), codePoint)}'`;
}
function codePoint(char) {
    return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
