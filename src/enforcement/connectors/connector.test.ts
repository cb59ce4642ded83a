import { describe, expect, it } from 'vitest';
import { canRevert, enforcementActionSchema, reversibility } from './connector.ts';
import { TelegramBotConnector } from './telegram-bot.ts';
import { WebhookConnector } from './webhook.ts';

const webhook = new WebhookConnector({ url: 'http://127.0.0.1:9/unused', secret: 's', timeoutMs: 100 });
const telegram = new TelegramBotConnector({ token: 't', baseUrl: 'http://127.0.0.1:9' });

describe('connectors behind one interface', () => {
  it('tells, per connector and action type, whether an action can be undone', () => {
    expect(reversibility(webhook, 'hide_message')).toEqual({ supported: true, revertible: true });
    expect(reversibility(webhook, 'remove_message')).toEqual({ supported: true, revertible: true });
    expect(reversibility(telegram, 'remove_message')).toMatchObject({ supported: true, revertible: false });
    expect(reversibility(telegram, 'ban_member')).toMatchObject({
      supported: true,
      revertible: true,
      note: expect.stringMatching(/rejoin/),
    });
    expect(reversibility(telegram, 'label')).toEqual({ supported: false });
    expect(canRevert(telegram, 'remove_message')).toBe(false);
    expect(canRevert(telegram, 'label')).toBe(false);
    expect(canRevert(webhook, 'deliver_statement')).toBe(false);
  });

  it('an action read back from the outbox is validated, unknown fields refused', () => {
    const action = {
      action_id: '01930000-0000-7000-8000-000000000001',
      type: 'restrict_member',
      subject: {
        platform: 'telegram',
        kind: 'member',
        key: 'telegram:member:-1001/42',
        chat_id: '-1001',
        user_id: '42',
        url: 'https://t.me/c/1',
      },
      params: { until: '2026-12-28T08:00:00Z', permissions: { can_send_messages: false } },
      case_id: 'case-1',
      decision_id: 'dec-1',
    };
    expect(enforcementActionSchema.parse(action)).toEqual(action);
    expect(enforcementActionSchema.safeParse({ ...action, type: 'delete_everything' }).success).toBe(false);
    expect(
      enforcementActionSchema.safeParse({ ...action, params: { ...action.params, extra: 1 } }).success,
    ).toBe(false);
    expect(
      enforcementActionSchema.safeParse({ ...action, subject: { ...action.subject, user_id: 'alice' } })
        .success,
    ).toBe(false);
  });
});
