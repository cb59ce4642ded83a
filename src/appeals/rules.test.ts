import { describe, expect, it } from 'vitest';
import {
  appealDeadline,
  inFlight,
  notifierMayAppeal,
  standingStatus,
  statusAfterAppeal,
  tookPartIn,
  tooLate,
} from './rules.ts';

describe('appeal rules', () => {
  it('give six months from the decision, counted from its approval under four-eyes', () => {
    const created_at = new Date('2026-01-31T10:00:00Z');
    expect(appealDeadline({ created_at, approved_at: null }).toISOString()).toBe('2026-07-31T10:00:00.000Z');
    expect(appealDeadline({ created_at, approved_at: new Date('2026-02-02T09:00:00Z') }).toISOString()).toBe(
      '2026-08-02T09:00:00.000Z',
    );
  });

  it('say when an appeal is too late, and where else to turn', () => {
    const until = new Date('2026-07-31T10:00:00Z');
    expect(tooLate(until, new Date('2026-07-31T10:00:00Z'))).toBeNull();
    expect(tooLate(until, new Date('2026-07-31T10:00:01Z'))).toMatch(/ended on 2026-07-31 .*out-of-court/);
  });

  it('let a notifier appeal only a decision not to act', () => {
    expect(notifierMayAppeal('no_action')).toBe(true);
    expect(notifierMayAppeal('reject_unsubstantiated')).toBe(true);
    expect(notifierMayAppeal('remove')).toBe(false);
    expect(notifierMayAppeal('label')).toBe(false);
  });

  it('keep the reviewer who made or approved the decision away from its appeal', () => {
    const decision = { decided_by: 'sari', approved_by: 'bima' };
    expect(tookPartIn(decision, 'sari')).toBe(true);
    expect(tookPartIn(decision, 'bima')).toBe(true);
    expect(tookPartIn(decision, 'sam')).toBe(false);
    expect(tookPartIn({ decided_by: 'sari', approved_by: null }, 'sam')).toBe(false);
  });

  it('wait for actions in flight before a reversal, but not for the statement’s delivery', () => {
    const actions = [
      { type: 'hide_message', status: 'applied' },
      { type: 'restrict_member', status: 'pending' },
      { type: 'deliver_statement', status: 'pending' },
    ];
    expect(inFlight(actions)).toEqual([{ type: 'restrict_member', status: 'pending' }]);
  });

  it('send the case where the appeal’s outcome leads', () => {
    const applied = [{ type: 'hide_message', status: 'applied' }];
    expect(
      statusAfterAppeal({ appellant: 'affected_user', outcome: 'upheld', reverts: 2, actions: applied }),
    ).toBe('reverting');
    expect(
      statusAfterAppeal({ appellant: 'affected_user', outcome: 'upheld', reverts: 0, actions: applied }),
    ).toBe('closed');
    expect(statusAfterAppeal({ appellant: 'notifier', outcome: 'upheld', reverts: 0, actions: [] })).toBe(
      'open',
    );
    expect(statusAfterAppeal({ appellant: 'notifier', outcome: 'rejected', reverts: 0, actions: [] })).toBe(
      'closed',
    );
    expect(
      statusAfterAppeal({ appellant: 'affected_user', outcome: 'rejected', reverts: 0, actions: applied }),
    ).toBe('closed');
  });

  it('return a standing decision to its unfinished enforcement', () => {
    expect(
      standingStatus([
        { type: 'hide_message', status: 'failed' },
        { type: 'label', status: 'pending' },
      ]),
    ).toBe('action_failed');
    expect(
      standingStatus([
        { type: 'hide_message', status: 'applied' },
        { type: 'label', status: 'pending' },
      ]),
    ).toBe('actioning');
    expect(standingStatus([{ type: 'hide_message', status: 'applied' }])).toBe('closed');
  });
});
