import { systemClock } from "../../core/clock.js";
import { unsupported } from "./connector.js";
import { BotApi, classifyBotApiFailure } from "./telegram-bot-api.js";
import { chatIdOf, messageOf, untilDateOf, userIdOf } from "./telegram-target.js";
/** ChatPermissions (core.telegram.org/bots/api#chatpermissions). */
export const chatPermissionFields = [
    'can_send_messages',
    'can_send_audios',
    'can_send_documents',
    'can_send_photos',
    'can_send_videos',
    'can_send_video_notes',
    'can_send_voice_notes',
    'can_send_polls',
    'can_send_other_messages',
    'can_add_web_page_previews',
    'can_react_to_messages',
    'can_change_info',
    'can_invite_users',
    'can_edit_tag',
    'can_pin_messages',
    'can_manage_topics',
];
/**
 * Connector (b): the Telegram Bot API, for the groups and channels the bot administers.
 *
 * remove_message  → deleteMessage. Not revertible: the Bot API has no way to restore a
 *                   deleted message, so the desk warns before it and the statement says so.
 * restrict_member → restrictChatMember with every permission false (or params.permissions).
 *                   Revert: restrictChatMember with every permission true, which the Bot API
 *                   documents as the way to "lift restrictions from a user"; the member then
 *                   follows the chat's default permissions, as any member does. We do not
 *                   copy the chat's defaults onto the member: that would leave a personal
 *                   restriction in place that drifts when the chat's defaults change.
 * ban_member      → banChatMember. Revert: unbanChatMember with only_if_banned, so that an
 *                   unban never removes a member who is back (without it "the user … will
 *                   also be removed from the chat"); the user may rejoin but is not re-added.
 *
 * Member actions first read the member (getChatMember) and answer already_done when the
 * goal already holds, so a retry after a lost answer does not act twice. A restriction is
 * never applied over a ban: it would replace the ban with the lesser restriction. A group that was
 * upgraded to a supergroup answers with migrate_to_chat_id; user ids are global, so member
 * actions follow it once and report the new chat in external_ref. Message ids belong to the
 * old chat, so a deletion there fails with the new chat id instead.
 */
export class TelegramBotConnector {
    name = 'telegram_bot';
    capabilities = {
        remove_message: {
            revertible: false,
            note: 'a message deleted through the Telegram Bot API cannot be restored',
        },
        restrict_member: {
            revertible: true,
            note: "lifting returns the member to the chat's default permissions",
        },
        ban_member: {
            revertible: true,
            note: 'unbanning lets the user rejoin; it does not add them back to the chat',
        },
    };
    api;
    clock;
    constructor(config) {
        this.api = new BotApi(config);
        this.clock = config.clock ?? systemClock;
    }
    async apply(action) {
        switch (action.type) {
            case 'remove_message':
                return this.deleteMessage(action);
            case 'restrict_member':
                return this.restrict(action);
            case 'ban_member':
                return this.ban(action);
            default:
                return unsupported(this, action.type, 'apply');
        }
    }
    async revert(action) {
        if (action.type === 'restrict_member')
            return this.lift(action);
        if (action.type === 'ban_member')
            return this.unban(action);
        return unsupported(this, action.type, 'revert');
    }
    async status(action) {
        if (action.type === 'remove_message') {
            return {
                state: 'unknown',
                detail: 'the Bot API has no method to read a message by id, so a deletion cannot be confirmed',
            };
        }
        if (action.type !== 'restrict_member' && action.type !== 'ban_member') {
            return { state: 'unknown', detail: `the ${this.name} connector does not handle ${action.type}` };
        }
        const permissions = permissionsFor(action.params.permissions);
        if (typeof permissions === 'string')
            return { state: 'unknown', detail: permissions };
        const member = await this.readMember(action);
        if (!member.ok)
            return { state: 'unknown', detail: member.outcome.detail ?? 'the member could not be read' };
        const { status, until_date: until = 0 } = member.value;
        const holds = action.type === 'ban_member'
            ? status === 'kicked'
            : status === 'restricted' && sameAs(member.value, permissions);
        const end = until === 0 ? ', no end date' : `, until ${new Date(until * 1000).toISOString()}`;
        const detail = `member status ${status}${holds ? end : ''}`;
        return { state: holds ? 'applied' : 'not_applied', detail };
    }
    async deleteMessage(action) {
        const chat = chatIdOf(action.subject);
        if (!chat.ok)
            return { status: 'failed', detail: chat.detail };
        const target = messageOf(action.subject);
        if (!target.ok)
            return { status: 'failed', detail: target.detail };
        let chatId = chat.value;
        let messageId = target.value.message;
        if (target.value.comment !== undefined) {
            // A comment is a message of the channel's discussion group: getChat's linked_chat_id
            // is "the discussion group identifier for a channel" (#chatfullinfo).
            const channel = await this.api.call('getChat', { chat_id: chatId });
            if (!channel.ok)
                return classifyBotApiFailure('getChat', channel);
            if (channel.result.linked_chat_id === undefined) {
                return {
                    status: 'failed',
                    detail: `${chatId} has no discussion group, so comment ${target.value.comment} cannot be found`,
                };
            }
            chatId = channel.result.linked_chat_id;
            messageId = target.value.comment;
        }
        const result = await this.api.call('deleteMessage', { chat_id: chatId, message_id: messageId });
        if (!result.ok)
            return classifyBotApiFailure('deleteMessage', result);
        return { status: 'applied', external_ref: `${chatId}:${messageId}` };
    }
    async restrict(action) {
        const until = untilDateOf(action.params.until, this.clock());
        if (!until.ok)
            return { status: 'failed', detail: until.detail };
        const permissions = permissionsFor(action.params.permissions);
        if (typeof permissions === 'string')
            return { status: 'failed', detail: permissions };
        const member = await this.readMember(action);
        if (!member.ok && member.outcome.status !== 'failed')
            return member.outcome;
        if (member.ok && member.value.status === 'kicked') {
            return {
                status: 'already_done',
                external_ref: ref(member.chat, action),
                detail: 'the user is banned from the chat, which already stops them posting',
            };
        }
        const wanted = until.value ?? 0;
        if (member.ok &&
            member.value.status === 'restricted' &&
            member.value.until_date === wanted &&
            sameAs(member.value, permissions)) {
            return {
                status: 'already_done',
                external_ref: ref(member.chat, action),
                detail: 'the member was already restricted so',
            };
        }
        return this.memberCall(action, member, 'restrictChatMember', {
            permissions,
            // Without it, some permissions imply others (#restrictchatmember); we want exactly these.
            use_independent_chat_permissions: true,
            ...(until.value === undefined ? {} : { until_date: until.value }),
        });
    }
    async lift(action) {
        const member = await this.readMember(action);
        if (!member.ok && member.outcome.status !== 'failed')
            return member.outcome;
        if (member.ok && member.value.status !== 'restricted') {
            return {
                status: 'already_done',
                external_ref: ref(member.chat, action),
                detail: `the member is not restricted (${member.value.status})`,
            };
        }
        const permissions = Object.fromEntries(chatPermissionFields.map((field) => [field, true]));
        return this.memberCall(action, member, 'restrictChatMember', {
            permissions,
            use_independent_chat_permissions: true,
        });
    }
    async ban(action) {
        const until = untilDateOf(action.params.until, this.clock());
        if (!until.ok)
            return { status: 'failed', detail: until.detail };
        const member = await this.readMember(action);
        if (!member.ok && member.outcome.status !== 'failed')
            return member.outcome;
        if (member.ok && member.value.status === 'kicked' && member.value.until_date === (until.value ?? 0)) {
            return {
                status: 'already_done',
                external_ref: ref(member.chat, action),
                detail: 'the user was already banned so',
            };
        }
        return this.memberCall(action, member, 'banChatMember', until.value === undefined ? {} : { until_date: until.value });
    }
    async unban(action) {
        const member = await this.readMember(action);
        if (!member.ok && member.outcome.status !== 'failed')
            return member.outcome;
        if (member.ok && member.value.status !== 'kicked') {
            return {
                status: 'already_done',
                external_ref: ref(member.chat, action),
                detail: `the user is not banned (${member.value.status})`,
            };
        }
        return this.memberCall(action, member, 'unbanChatMember', { only_if_banned: true });
    }
    async readMember(action) {
        return this.onMember(action, 'getChatMember', {});
    }
    /** Acts on the member, in the chat the read found it in (which may be a migrated group's successor). */
    async memberCall(action, read, method, params) {
        const step = await this.onMember(action, method, params, read.ok ? read.chat : undefined);
        return step.ok ? { status: 'applied', external_ref: ref(step.chat, action) } : step.outcome;
    }
    /** Calls a member method, following a group's migration to a supergroup once. */
    async onMember(action, method, params, knownChat) {
        const chat = knownChat === undefined ? chatIdOf(action.subject) : { ok: true, value: knownChat };
        if (!chat.ok)
            return { ok: false, outcome: { status: 'failed', detail: chat.detail } };
        const user = userIdOf(action.subject);
        if (!user.ok)
            return { ok: false, outcome: { status: 'failed', detail: user.detail } };
        let chatId = chat.value;
        let result = await this.api.call(method, { chat_id: chatId, user_id: user.value, ...params });
        if (!result.ok && 'error' in result && result.error.migrate_to_chat_id !== undefined) {
            chatId = result.error.migrate_to_chat_id;
            result = await this.api.call(method, { chat_id: chatId, user_id: user.value, ...params });
        }
        return result.ok
            ? { ok: true, chat: chatId, value: result.result }
            : { ok: false, outcome: classifyBotApiFailure(method, result) };
    }
}
function ref(chat, action) {
    return `${chat}:${action.subject.user_id ?? ''}`;
}
/** Every permission false, except those the decision chose to leave; unknown names are refused. */
function permissionsFor(requested) {
    const permissions = Object.fromEntries(chatPermissionFields.map((field) => [field, false]));
    for (const [name, allowed] of Object.entries(requested ?? {})) {
        if (!chatPermissionFields.includes(name)) {
            return `params.permissions.${name} is not a Telegram chat permission (${chatPermissionFields.join(', ')})`;
        }
        permissions[name] = allowed;
    }
    return permissions;
}
function sameAs(member, permissions) {
    // Older Bot API servers omit the newest fields; compare what the member record carries.
    return chatPermissionFields.every((field) => member[field] === undefined || member[field] === permissions[field]);
}
