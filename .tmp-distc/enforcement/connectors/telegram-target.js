const username = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const telegramHosts = new Set([
    't.me',
    'telegram.me',
    'telegram.dog',
    'www.t.me',
    'www.telegram.me',
    'www.telegram.dog',
]);
// t.me paths that are features, not chats (invite links, sticker sets, proxies…).
const reservedPaths = new Set('joinchat addstickers addemoji addlist addtheme share proxy socks login boost invoice contact setlanguage confirmphone'.split(' '));
/**
 * subject.chat_id in any of the forms in use:
 * - "-100<digits>": a supergroup or channel as the Bot API numbers it;
 * - "-<digits>": a basic group;
 * - "<digits>": a supergroup or channel as MTProto and t.me/c/<id> links number it, which is
 *   how src/notices/targets.ts records it; the Bot API puts -100 in front. (A positive Bot
 *   API id would be a private chat with a user, where this connector never acts.)
 * - "@name" or "name": a public chat by username.
 */
export function chatIdOf(subject) {
    if (subject.chat_id !== undefined) {
        const id = subject.chat_id.trim();
        if (/^-\d{1,15}$/.test(id))
            return { ok: true, value: Number(id) };
        if (/^\d{1,12}$/.test(id))
            return { ok: true, value: Number(`-100${id}`) };
        const name = id.startsWith('@') ? id.slice(1) : id;
        if (username.test(name))
            return { ok: true, value: `@${name}` };
        return { ok: false, detail: `subject.chat_id '${id}' is neither a Telegram chat id nor a username` };
    }
    if (subject.username !== undefined) {
        const name = subject.username.replace(/^@/, '');
        if (username.test(name))
            return { ok: true, value: `@${name}` };
    }
    const link = parseLink(subject.url);
    if (link)
        return { ok: true, value: link.chat };
    return {
        ok: false,
        detail: `cannot tell the Telegram chat from subject ${subject.key}: give chat_id, username or a t.me link`,
    };
}
/**
 * The message an action is about. A comment (t.me/<channel>/<post>?comment=<id>) is a
 * message of the channel's discussion group, a different chat: the post id must never be
 * taken for it, or the channel post would be deleted instead.
 */
export function messageOf(subject) {
    const link = parseLink(subject.url);
    const message = subject.message_id ?? link?.message;
    const comment = subject.comment_id ?? link?.comment;
    if (message === undefined) {
        return {
            ok: false,
            detail: `subject ${subject.key} names no message: give message_id or a t.me/<chat>/<id> link`,
        };
    }
    return { ok: true, value: comment === undefined ? { message } : { message, comment } };
}
export function userIdOf(subject) {
    const id = subject.user_id === undefined ? Number.NaN : Number(subject.user_id);
    // Telegram user ids may exceed 32 bits but have at most 52 significant bits (Bot API, User.id).
    if (Number.isSafeInteger(id) && id > 0)
        return { ok: true, value: id };
    return {
        ok: false,
        detail: `subject ${subject.key} has no numeric user_id; the Bot API addresses members by id only`,
    };
}
/**
 * The chat, message and comment in a t.me link. t.me/c/<id>/… is a private supergroup or
 * channel, which the Bot API addresses as -100<id>; t.me/s/<name>/… is the public web
 * preview; in a forum topic link (…/<topic>/<message>) the message is the last number.
 */
export function parseLink(url) {
    let parsed;
    try {
        parsed = new URL(/^[a-z]+:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
    }
    catch {
        return undefined;
    }
    if (!telegramHosts.has(parsed.hostname.toLowerCase()))
        return undefined;
    const parts = parsed.pathname.split('/').filter((part) => part !== '');
    let chat;
    if (parts[0] === 'c' && /^\d{1,12}$/.test(parts[1] ?? '')) {
        chat = Number(`-100${parts[1]}`);
        parts.splice(0, 2);
    }
    else {
        if (parts[0] === 's')
            parts.shift();
        const name = parts.shift() ?? '';
        if (!username.test(name) || reservedPaths.has(name.toLowerCase()))
            return undefined;
        chat = `@${name}`;
    }
    if (parts.length > 2 || !parts.every((part) => /^\d{1,10}$/.test(part)))
        return undefined;
    const message = parts.length > 0 ? Number(parts.at(-1)) : undefined;
    const comment = parsed.searchParams.get('comment');
    return {
        chat,
        ...(message === undefined ? {} : { message }),
        ...(comment !== null && /^\d{1,10}$/.test(comment) ? { comment: Number(comment) } : {}),
    };
}
const day = 24 * 60 * 60;
/**
 * restrictChatMember and banChatMember: "If user is restricted for more than 366 days or
 * less than 30 seconds from the current time, they are considered to be restricted forever"
 * (core.telegram.org/bots/api#restrictchatmember, #banchatmember). An end date outside that
 * window would silently become permanent, the opposite of a timed decision, so we refuse
 * it. The margins absorb transit time and clock skew between us and Telegram.
 */
export const untilBounds = { minSeconds: 30 + 30, maxSeconds: 366 * day - 60 * 60 };
/** `until_date` for an end date; `undefined` value means permanent (the parameter is omitted). */
export function untilDateOf(until, now) {
    if (until === undefined)
        return { ok: true, value: undefined };
    const end = Date.parse(until);
    if (Number.isNaN(end))
        return { ok: false, detail: `params.until '${until}' is not a date` };
    const seconds = Math.floor(end / 1000);
    const ahead = seconds - Math.floor(now.getTime() / 1000);
    if (ahead < untilBounds.minSeconds) {
        return {
            ok: false,
            detail: `params.until ${until} is past or under a minute away; Telegram would read it as permanent, so nothing was done`,
        };
    }
    if (ahead > untilBounds.maxSeconds) {
        return {
            ok: false,
            detail: `params.until ${until} is more than 366 days away; Telegram would read it as permanent. Decide a permanent restriction, or one of at most 365 days and renew it`,
        };
    }
    return { ok: true, value: seconds };
}
