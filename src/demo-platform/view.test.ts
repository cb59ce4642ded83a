import { describe, expect, it } from 'vitest';
import { channelView, messageView, type PlatformAction } from './view.ts';

const now = new Date('2026-12-01T12:00:00Z');
let n = 0;
const action = (fields: Partial<PlatformAction>): PlatformAction => ({
  action_id: `a${++n}`,
  type: 'hide_message',
  message_id: 1,
  territories: [],
  label: null,
  until: null,
  statement_url: null,
  applied_at: new Date('2026-12-01T10:00:00Z'),
  reverted_at: null,
  ...fields,
});
const open = channelView([], now);

describe('what the demo platform shows', () => {
  it('a message with no action in effect is visible', () => {
    expect(messageView([], open, now)).toMatchObject({ state: 'visible', hidden: false });
  });

  it('a removed message is hidden until the removal is reverted', () => {
    const removal = action({ type: 'remove_message' });
    expect(messageView([removal], open, now).state).toBe('hidden');
    expect(messageView([{ ...removal, reverted_at: now }], open, now).state).toBe('visible');
  });

  it('two removals of one message and the revert of one of them leave it hidden', () => {
    const first = action({});
    const second = action({});
    expect(messageView([{ ...first, reverted_at: now }, second], open, now).hidden).toBe(true);
  });

  it('a restriction names its countries, and a label its text', () => {
    const view = messageView(
      [
        action({ type: 'restrict_in_jurisdiction', territories: ['ID'] }),
        action({ type: 'label', label: 'Misleading' }),
      ],
      open,
      now,
    );
    expect(view).toMatchObject({ state: 'restricted', restricted_in: ['ID'], labels: ['Misleading'] });
  });

  it('a suspended channel suspends its messages, and a suspension with an end stops holding at its end', () => {
    const suspension = action({
      type: 'suspend_channel',
      message_id: null,
      until: new Date('2026-12-02T00:00:00Z'),
    });
    const channel = channelView([suspension], now);
    expect(channel).toMatchObject({ suspended: true, suspended_until: suspension.until });
    expect(messageView([], channel, now).state).toBe('channel_suspended');
    expect(channelView([suspension], new Date('2026-12-02T00:00:01Z')).suspended).toBe(false);
  });
});
