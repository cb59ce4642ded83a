/**
 * What the demo platform shows, worked out from the actions in effect: plain functions over
 * plain rows, with the time passed in (a suspension with an end stops holding at its end).
 */
export interface PlatformAction {
  action_id: string;
  type: string;
  message_id: number | null;
  territories: string[];
  label: string | null;
  until: Date | null;
  statement_url: string | null;
  applied_at: Date;
  reverted_at: Date | null;
}

export type MessageState = 'visible' | 'hidden' | 'channel_suspended' | 'restricted' | 'labelled';

export interface MessageView {
  state: MessageState;
  /** Removed or hidden by an action in effect. */
  hidden: boolean;
  /** Countries where the message is withheld (restrict_in_jurisdiction). */
  restricted_in: string[];
  labels: string[];
  channel_suspended: boolean;
}

export interface ChannelView {
  suspended: boolean;
  suspended_until: Date | null;
  restricted_in: string[];
  labels: string[];
}

/** Whether an action holds at `now`: applied, not reverted, and not past its end. */
export function inEffect(action: PlatformAction, now: Date): boolean {
  return action.reverted_at === null && (action.until === null || action.until > now);
}

export function channelView(channelActions: readonly PlatformAction[], now: Date): ChannelView {
  const held = channelActions.filter((a) => a.message_id === null && inEffect(a, now));
  const suspensions = held.filter((a) => a.type === 'suspend_channel');
  // A permanent suspension outlasts any with an end; otherwise the latest end counts.
  const until = suspensions.some((a) => a.until === null)
    ? null
    : (suspensions.map((a) => a.until!).sort((a, b) => b.getTime() - a.getTime())[0] ?? null);
  return {
    suspended: suspensions.length > 0,
    suspended_until: suspensions.length > 0 ? until : null,
    restricted_in: territoriesOf(held),
    labels: labelsOf(held),
  };
}

export function messageView(
  messageActions: readonly PlatformAction[],
  channel: ChannelView,
  now: Date,
): MessageView {
  const held = messageActions.filter((a) => inEffect(a, now));
  const hidden = held.some((a) => a.type === 'remove_message' || a.type === 'hide_message');
  const restricted = [...new Set([...territoriesOf(held), ...channel.restricted_in])].sort();
  const labels = [...new Set([...labelsOf(held), ...channel.labels])];
  const state: MessageState = hidden
    ? 'hidden'
    : channel.suspended
      ? 'channel_suspended'
      : restricted.length > 0
        ? 'restricted'
        : labels.length > 0
          ? 'labelled'
          : 'visible';
  return { state, hidden, restricted_in: restricted, labels, channel_suspended: channel.suspended };
}

function territoriesOf(actions: readonly PlatformAction[]): string[] {
  return [
    ...new Set(actions.filter((a) => a.type === 'restrict_in_jurisdiction').flatMap((a) => a.territories)),
  ].sort();
}

function labelsOf(actions: readonly PlatformAction[]): string[] {
  return [...new Set(actions.filter((a) => a.type === 'label' && a.label).map((a) => a.label!))];
}
