import type { Clock } from '../core/clock.ts';
import {
  type ActionType,
  type Capability,
  type Connector,
  type ConnectorOutcome,
  type ConnectorStatus,
  type EnforcementAction,
  unsupported,
} from '../enforcement/connectors/connector.ts';
import type { Db } from '../store/db.ts';
import { findChannel } from './store.ts';

/**
 * The demo platform's connector: applies enforcement actions to the simulated Telegram that
 * tapis holds in its own tables, so that in demo mode a decision visibly takes effect
 * (GET /v1/demo-platform/channels/{name}/messages) with nothing configured.
 *
 * It behaves as a platform's moderation API should: each action is applied once under its
 * id (a repeat is `already_done`), every effect but a delivered statement can be reverted,
 * and a subject the platform does not have is a `failed` that says so.
 */
export class DemoPlatformConnector implements Connector {
  readonly name = 'demo_platform';
  readonly capabilities: Partial<Record<ActionType, Capability>> = {
    remove_message: { revertible: true },
    hide_message: { revertible: true },
    suspend_channel: { revertible: true },
    restrict_in_jurisdiction: { revertible: true },
    label: { revertible: true },
    // DSA Art. 17(1): the statement reaches the channel's owner; it cannot be taken back.
    deliver_statement: { revertible: false },
    // DSA Art. 23(1): a repeat-infringer warning reaches the channel's owner like a statement.
    deliver_warning: { revertible: false },
    // The demo channels have no demotion, age gate, comments, money or partial service:
    // those outcomes get a 422 naming this connector (docs/decisions/0018).
  };

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async apply(action: EnforcementAction): Promise<ConnectorOutcome> {
    if (!this.capabilities[action.type]) return unsupported(this, action.type, 'apply');
    const target = await this.resolve(action);
    if ('failed' in target) return { status: 'failed', detail: target.failed };
    const now = this.clock();
    const ref = target.messageId === null ? target.channel : `${target.channel}/${target.messageId}`;
    const inserted = await this.db
      .insertInto('demo_platform_actions')
      .values({
        action_id: action.action_id,
        type: action.type,
        channel: target.channel,
        message_id: target.messageId,
        territories: action.params.territories ?? [],
        label: action.params.label ?? null,
        until: action.params.until ?? null,
        statement_url: action.params.statement_url ?? null,
        case_id: action.case_id,
        applied_at: now,
      })
      .onConflict((oc) => oc.column('action_id').doNothing())
      .returning('action_id')
      .executeTakeFirst();
    if (inserted) return { status: 'applied', external_ref: `demo:${ref}` };
    // Seen before: in effect still (a repeat), or reverted and now asked for again.
    const again = await this.db
      .updateTable('demo_platform_actions')
      .set({ reverted_at: null, applied_at: now })
      .where('action_id', '=', action.action_id)
      .where('reverted_at', 'is not', null)
      .returning('action_id')
      .executeTakeFirst();
    return again
      ? { status: 'applied', external_ref: `demo:${ref}` }
      : { status: 'already_done', external_ref: `demo:${ref}`, detail: 'the demo platform had applied it' };
  }

  async revert(action: EnforcementAction): Promise<ConnectorOutcome> {
    if (!this.capabilities[action.type]?.revertible) return unsupported(this, action.type, 'revert');
    const reverted = await this.db
      .updateTable('demo_platform_actions')
      .set({ reverted_at: this.clock() })
      .where('action_id', '=', action.action_id)
      .where('reverted_at', 'is', null)
      .returning(['channel', 'message_id'])
      .executeTakeFirst();
    if (!reverted) return { status: 'already_done', detail: 'not in effect on the demo platform' };
    return { status: 'applied' };
  }

  async status(action: EnforcementAction): Promise<ConnectorStatus> {
    const row = await this.db
      .selectFrom('demo_platform_actions')
      .select(['reverted_at'])
      .where('action_id', '=', action.action_id)
      .executeTakeFirst();
    return { state: row && row.reverted_at === null ? 'applied' : 'not_applied' };
  }

  /** The channel, and the message unless the action is about the whole channel. */
  private async resolve(
    action: EnforcementAction,
  ): Promise<{ channel: string; messageId: number | null } | { failed: string }> {
    const { subject } = action;
    const channel = await findChannel(this.db, subject.username ?? subject.chat_id ?? '');
    if (!channel)
      return {
        failed: `the demo platform has no channel for ${subject.url}; its channels are listed at GET /v1/demo-platform/channels`,
      };
    const wholeChannel = action.type === 'suspend_channel' || subject.message_id === undefined;
    if (wholeChannel) {
      if (action.type === 'remove_message' || action.type === 'hide_message')
        return { failed: `${action.type} needs a message; ${subject.url} names a channel` };
      return { channel: channel.username, messageId: null };
    }
    const message = await this.db
      .selectFrom('demo_messages')
      .select('message_id')
      .where('channel', '=', channel.username)
      .where('message_id', '=', subject.message_id!)
      .executeTakeFirst();
    if (!message)
      return { failed: `@${channel.username} on the demo platform has no message ${subject.message_id}` };
    return { channel: channel.username, messageId: message.message_id };
  }
}
