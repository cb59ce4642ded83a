import { type Clock, systemClock } from '../../core/clock.ts';
import type {
  ActionType,
  Capability,
  Connector,
  ConnectorOutcome,
  ConnectorStatus,
  EnforcementAction,
} from './connector.ts';
import { unsupported } from './connector.ts';
import { BotApi, type BotApiConfig, classifyBotApiFailure } from './telegram-bot-api.ts';
import { type ChatId, chatIdOf, messageOf, untilDateOf, userIdOf } from './telegram-target.ts';

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
] as const;
export type ChatPermissions = Record<(typeof chatPermissionFields)[number], boolean>;

/** The parts of a ChatMember (#chatmember) this connector reads. */
interface ChatMember extends Partial<ChatPermissions> {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  /** For restricted and kicked members; 0 means forever. */
  until_date?: number;
}

export interface TelegramBotConnectorConfig extends BotApiConfig {
  clock?: Clock;
  /**
   * The chat (id or @username) the bot forwards a message to before deleting it, so that the
   * takedown keeps a copy (src/enforcement/capture-before-removal.ts). Unset: no capture.
   */
  evidenceChatId?: string | undefined;
}

/** What a capture gives: the forwarded copy's Message, or why there is none. */
export type Capture =
  | { ok: true; copy: string; message: unknown }
  | { ok: false; outcome: ConnectorOutcome & { status: 'retry' | 'failed' } };

type Step<T> = { ok: true; chat: ChatId; value: T } | { ok: false; outcome: ConnectorOutcome };

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
export class TelegramBotConnector implements Connector {
  readonly name = 'telegram_bot';
  readonly capabilities: Partial<Record<ActionType, Capability>> = {
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
  private readonly api: BotApi;
  private readonly clock: Clock;
  private readonly evidenceChatId: string | undefined;

  constructor(config: TelegramBotConnectorConfig) {
    this.api = new BotApi(config);
    this.clock = config.clock ?? systemClock;
    this.evidenceChatId = config.evidenceChatId;
  }

  /**
   * MR5, "takedown hides; it does not destroy evidence": the Bot API cannot read a message by
   * id, but it can forward one. Before remove_message deletes it, the message is forwarded to
   * the evidence chat: the copy stays there, and its Message (text, caption, file ids, origin)
   * is what tapis preserves.
   */
  async captureMessage(action: EnforcementAction): Promise<Capture> {
    if (!this.evidenceChatId)
      return {
        ok: false,
        outcome: {
          status: 'failed',
          detail: 'no evidence chat is configured (TAPIS_TELEGRAM_EVIDENCE_CHAT_ID)',
        },
      };
    const located = await this.locateMessage(action);
    if (!located.ok) return { ok: false, outcome: asStop(located.outcome) };
    const forwarded = await this.api.call<{ message_id: number; chat: { id: number } }>('forwardMessage', {
      chat_id: this.evidenceChatId,
      from_chat_id: located.chat,
      message_id: located.value,
    });
    if (!forwarded.ok)
      return { ok: false, outcome: asStop(classifyBotApiFailure('forwardMessage', forwarded)) };
    return {
      ok: true,
      copy: `${forwarded.result.chat.id}:${forwarded.result.message_id}`,
      message: forwarded.result,
    };
  }

  async apply(action: EnforcementAction): Promise<ConnectorOutcome> {
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

  async revert(action: EnforcementAction): Promise<ConnectorOutcome> {
    if (action.type === 'restrict_member') return this.lift(action);
    if (action.type === 'ban_member') return this.unban(action);
    return unsupported(this, action.type, 'revert');
  }

  async status(action: EnforcementAction): Promise<ConnectorStatus> {
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
    if (typeof permissions === 'string') return { state: 'unknown', detail: permissions };
    const member = await this.readMember(action);
    if (!member.ok)
      return { state: 'unknown', detail: member.outcome.detail ?? 'the member could not be read' };
    const { status, until_date: until = 0 } = member.value;
    const holds =
      action.type === 'ban_member'
        ? status === 'kicked'
        : status === 'restricted' && sameAs(member.value, permissions);
    const end = until === 0 ? ', no end date' : `, until ${new Date(until * 1000).toISOString()}`;
    const detail = `member status ${status}${holds ? end : ''}`;
    return { state: holds ? 'applied' : 'not_applied', detail };
  }

  private async deleteMessage(action: EnforcementAction): Promise<ConnectorOutcome> {
    const located = await this.locateMessage(action);
    if (!located.ok) return located.outcome;
    const result = await this.api.call<true>('deleteMessage', {
      chat_id: located.chat,
      message_id: located.value,
    });
    if (!result.ok) return classifyBotApiFailure('deleteMessage', result);
    return { status: 'applied', external_ref: `${located.chat}:${located.value}` };
  }

  /** The chat and message id of a message subject (a comment is found in the discussion group). */
  private async locateMessage(action: EnforcementAction): Promise<Step<number>> {
    const chat = chatIdOf(action.subject);
    if (!chat.ok) return { ok: false, outcome: { status: 'failed', detail: chat.detail } };
    const target = messageOf(action.subject);
    if (!target.ok) return { ok: false, outcome: { status: 'failed', detail: target.detail } };
    let chatId: ChatId = chat.value;
    let messageId = target.value.message;
    if (target.value.comment !== undefined) {
      // A comment is a message of the channel's discussion group: getChat's linked_chat_id
      // is "the discussion group identifier for a channel" (#chatfullinfo).
      const channel = await this.api.call<{ linked_chat_id?: number }>('getChat', { chat_id: chatId });
      if (!channel.ok) return { ok: false, outcome: classifyBotApiFailure('getChat', channel) };
      if (channel.result.linked_chat_id === undefined) {
        return {
          ok: false,
          outcome: {
            status: 'failed',
            detail: `${chatId} has no discussion group, so comment ${target.value.comment} cannot be found`,
          },
        };
      }
      chatId = channel.result.linked_chat_id;
      messageId = target.value.comment;
    }
    return { ok: true, chat: chatId, value: messageId };
  }

  private async restrict(action: EnforcementAction): Promise<ConnectorOutcome> {
    const until = untilDateOf(action.params.until, this.clock());
    if (!until.ok) return { status: 'failed', detail: until.detail };
    const permissions = permissionsFor(action.params.permissions);
    if (typeof permissions === 'string') return { status: 'failed', detail: permissions };
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== 'failed') return member.outcome;
    if (member.ok && member.value.status === 'kicked') {
      return {
        status: 'already_done',
        external_ref: ref(member.chat, action),
        detail: 'the user is banned from the chat, which already stops them posting',
      };
    }
    const wanted = until.value ?? 0;
    if (
      member.ok &&
      member.value.status === 'restricted' &&
      member.value.until_date === wanted &&
      sameAs(member.value, permissions)
    ) {
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

  private async lift(action: EnforcementAction): Promise<ConnectorOutcome> {
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== 'failed') return member.outcome;
    if (member.ok && member.value.status !== 'restricted') {
      return {
        status: 'already_done',
        external_ref: ref(member.chat, action),
        detail: `the member is not restricted (${member.value.status})`,
      };
    }
    const permissions = Object.fromEntries(
      chatPermissionFields.map((field) => [field, true]),
    ) as ChatPermissions;
    return this.memberCall(action, member, 'restrictChatMember', {
      permissions,
      use_independent_chat_permissions: true,
    });
  }

  private async ban(action: EnforcementAction): Promise<ConnectorOutcome> {
    const until = untilDateOf(action.params.until, this.clock());
    if (!until.ok) return { status: 'failed', detail: until.detail };
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== 'failed') return member.outcome;
    if (member.ok && member.value.status === 'kicked' && member.value.until_date === (until.value ?? 0)) {
      return {
        status: 'already_done',
        external_ref: ref(member.chat, action),
        detail: 'the user was already banned so',
      };
    }
    return this.memberCall(
      action,
      member,
      'banChatMember',
      until.value === undefined ? {} : { until_date: until.value },
    );
  }

  private async unban(action: EnforcementAction): Promise<ConnectorOutcome> {
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== 'failed') return member.outcome;
    if (member.ok && member.value.status !== 'kicked') {
      return {
        status: 'already_done',
        external_ref: ref(member.chat, action),
        detail: `the user is not banned (${member.value.status})`,
      };
    }
    return this.memberCall(action, member, 'unbanChatMember', { only_if_banned: true });
  }

  private async readMember(action: EnforcementAction): Promise<Step<ChatMember>> {
    return this.onMember<ChatMember>(action, 'getChatMember', {});
  }

  /** Acts on the member, in the chat the read found it in (which may be a migrated group's successor). */
  private async memberCall(
    action: EnforcementAction,
    read: Step<ChatMember>,
    method: string,
    params: Record<string, unknown>,
  ): Promise<ConnectorOutcome> {
    const step = await this.onMember<true>(action, method, params, read.ok ? read.chat : undefined);
    return step.ok ? { status: 'applied', external_ref: ref(step.chat, action) } : step.outcome;
  }

  /** Calls a member method, following a group's migration to a supergroup once. */
  private async onMember<T>(
    action: EnforcementAction,
    method: string,
    params: Record<string, unknown>,
    knownChat?: ChatId,
  ): Promise<Step<T>> {
    const chat = knownChat === undefined ? chatIdOf(action.subject) : { ok: true as const, value: knownChat };
    if (!chat.ok) return { ok: false, outcome: { status: 'failed', detail: chat.detail } };
    const user = userIdOf(action.subject);
    if (!user.ok) return { ok: false, outcome: { status: 'failed', detail: user.detail } };
    let chatId: ChatId = chat.value;
    let result = await this.api.call<T>(method, { chat_id: chatId, user_id: user.value, ...params });
    if (!result.ok && 'error' in result && result.error.migrate_to_chat_id !== undefined) {
      chatId = result.error.migrate_to_chat_id;
      result = await this.api.call<T>(method, { chat_id: chatId, user_id: user.value, ...params });
    }
    return result.ok
      ? { ok: true, chat: chatId, value: result.result }
      : { ok: false, outcome: classifyBotApiFailure(method, result) };
  }
}

function ref(chat: ChatId, action: EnforcementAction): string {
  return `${chat}:${action.subject.user_id ?? ''}`;
}

/** Every permission false, except those the decision chose to leave; unknown names are refused. */
function permissionsFor(requested: Record<string, boolean> | undefined): ChatPermissions | string {
  const permissions = Object.fromEntries(
    chatPermissionFields.map((field) => [field, false]),
  ) as ChatPermissions;
  for (const [name, allowed] of Object.entries(requested ?? {})) {
    if (!(chatPermissionFields as readonly string[]).includes(name)) {
      return `params.permissions.${name} is not a Telegram chat permission (${chatPermissionFields.join(', ')})`;
    }
    permissions[name as keyof ChatPermissions] = allowed;
  }
  return permissions;
}

function sameAs(member: ChatMember, permissions: ChatPermissions): boolean {
  // Older Bot API servers omit the newest fields; compare what the member record carries.
  return chatPermissionFields.every(
    (field) => member[field] === undefined || member[field] === permissions[field],
  );
}

/** A failure to locate or forward stops or retries; it is never "applied". */
function asStop(outcome: ConnectorOutcome): ConnectorOutcome & { status: 'retry' | 'failed' } {
  if (outcome.status === 'retry' || outcome.status === 'failed') return outcome;
  return { status: 'failed', detail: 'the message could not be forwarded' };
}
