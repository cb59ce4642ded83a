import { parseJson, postJson } from "./transport.js";
export class BotApi {
    config;
    baseUrl;
    timeoutMs;
    constructor(config) {
        this.config = config;
        this.baseUrl = (config.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
        this.timeoutMs = config.timeoutMs ?? 10_000;
    }
    async call(method, params) {
        const url = `${this.baseUrl}/bot${this.config.token}/${method}`;
        const sent = await postJson(url, JSON.stringify(params), {}, this.timeoutMs);
        if (sent.kind === 'unreachable')
            return { ok: false, unreachable: this.redact(sent.detail) };
        const body = parseJson(sent.text);
        if (isRecord(body) && body.ok === true)
            return { ok: true, result: body.result };
        if (isRecord(body) && body.ok === false) {
            const parameters = isRecord(body.parameters) ? body.parameters : {};
            return {
                ok: false,
                error: {
                    // "error_code … its contents are subject to change in the future": fall back to the HTTP status.
                    error_code: typeof body.error_code === 'number' ? body.error_code : sent.status,
                    description: this.redact(typeof body.description === 'string' ? body.description : ''),
                    ...(typeof parameters.retry_after === 'number' ? { retry_after: parameters.retry_after } : {}),
                    ...(typeof parameters.migrate_to_chat_id === 'number'
                        ? { migrate_to_chat_id: parameters.migrate_to_chat_id }
                        : {}),
                },
            };
        }
        // Not a Bot API answer at all: a proxy or load balancer spoke.
        return {
            ok: false,
            error: { error_code: sent.status, description: `HTTP ${sent.status} without a Bot API answer` },
        };
    }
    redact(text) {
        return this.config.token ? text.replaceAll(this.config.token, '<token>') : text;
    }
}
/**
 * What a failed call means for the action. Descriptions are matched loosely (lower case,
 * substrings) since Telegram words them for people; see the errors users have collected at
 * github.com/TelegramBotAPI/errors.
 */
export function classifyBotApiFailure(method, failure) {
    if ('unreachable' in failure)
        return { status: 'retry', detail: `Bot API unreachable: ${failure.unreachable}` };
    const { error_code: code, description, retry_after: retryAfter } = failure.error;
    const said = description ? `: ${description}` : '';
    const text = description.toLowerCase();
    // Flood control: "the number of seconds left to wait before the request can be repeated".
    if (retryAfter !== undefined) {
        return {
            status: 'retry',
            after_ms: retryAfter * 1000,
            detail: `Telegram flood control (${code}): retry after ${retryAfter} s`,
        };
    }
    if (code === 429 || code >= 500)
        return { status: 'retry', detail: `Bot API error ${code} on ${method}${said}` };
    if (text.includes('message to delete not found')) {
        return { status: 'already_done', detail: 'Telegram has no such message: it is already deleted' };
    }
    if (failure.error.migrate_to_chat_id !== undefined) {
        const to = failure.error.migrate_to_chat_id;
        return {
            status: 'failed',
            detail: method === 'deleteMessage'
                ? `the group became supergroup ${to}; message ids do not carry over, so find the message there and file a new action`
                : `the group became supergroup ${to}, which answered as migrated too; file the action against ${to}`,
        };
    }
    if (text.includes('not enough rights')) {
        return {
            status: 'failed',
            detail: `the bot lacks the administrator right for ${method} in this chat (${code}${said}); grant it and retry`,
        };
    }
    if (text.includes('bot is not a member')) {
        return {
            status: 'failed',
            detail: `the bot is not a member of this chat (${code}${said}); add it as an administrator`,
        };
    }
    if (text.includes('bot was kicked')) {
        return {
            status: 'failed',
            detail: `the bot was removed from this chat (${code}${said}); re-add it as an administrator`,
        };
    }
    if (text.includes('chat not found')) {
        return {
            status: 'failed',
            detail: `Telegram does not know this chat, or the bot cannot see it (${code}${said})`,
        };
    }
    if (text.includes("message can't be deleted")) {
        return {
            status: 'failed',
            // deleteMessage's documented limits: 48 hours, service messages about a chat's creation, rights.
            detail: `Telegram refused to delete the message (${code}${said}): the bot needs can_delete_messages, and the Bot API documents a 48-hour limit and undeletable service messages`,
        };
    }
    if (text.includes('user is an administrator') || text.includes("can't remove chat owner")) {
        return {
            status: 'failed',
            detail: `the member is an administrator of the chat (${code}${said}); only a chat owner can act on them`,
        };
    }
    if (code === 401 || code === 404) {
        return {
            status: 'failed',
            detail: `the Bot API refused the bot's credentials (${code}${said}); check the configured token and base URL`,
        };
    }
    return { status: 'failed', detail: `Telegram refused ${method} (${code}${said})` };
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
