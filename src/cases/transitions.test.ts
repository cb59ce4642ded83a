import { describe, expect, it } from 'vitest';
import {
  type CaseEventType,
  type CaseStatus,
  caseEventTypes,
  caseStatuses,
  TransitionRefused,
  transition,
  transitions,
} from './transitions.ts';

describe('the case state machine', () => {
  it('allows exactly what the table lists, for every event and every status', () => {
    for (const event of caseEventTypes) {
      const rule = transitions[event] as { from: readonly CaseStatus[]; to: readonly CaseStatus[] | 'same' };
      for (const from of caseStatuses) {
        const targets = rule.to === 'same' ? [from] : rule.to;
        for (const to of caseStatuses) {
          const allowed = rule.from.includes(from) && targets.includes(to);
          if (allowed) expect(transition(from, event, to)).toBe(to);
          else expect(() => transition(from, event, to)).toThrow(TransitionRefused);
        }
      }
    }
  });

  it('walks a notice from the queue to enforcement', () => {
    let status: CaseStatus = 'open';
    const walk: [CaseEventType, CaseStatus?][] = [
      ['claimed'],
      ['decided', 'pending_approval'],
      ['approved', 'actioning'],
      ['action_applied', 'closed'],
      ['appealed'],
      ['appeal_decided', 'reverting'],
      ['reverted', 'closed'],
    ];
    for (const [event, to] of walk) status = transition(status, event, to);
    expect(status).toBe('closed');
  });

  it('sends a case back to the queue when a notifier’s appeal against no action is upheld', () => {
    let status: CaseStatus = 'open';
    const walk: [CaseEventType, CaseStatus?][] = [
      ['claimed'],
      ['decided', 'closed'],
      ['appealed'],
      ['appeal_claimed'],
      ['appeal_reassigned'],
      ['appeal_decided', 'open'],
      ['claimed'],
    ];
    for (const [event, to] of walk) status = transition(status, event, to);
    expect(status).toBe('in_review');
  });

  it('lets a rejected appeal return the case to its unfinished enforcement, but never to review', () => {
    expect(transition('under_appeal', 'appeal_decided', 'action_failed')).toBe('action_failed');
    expect(() => transition('under_appeal', 'appeal_decided', 'in_review')).toThrow(TransitionRefused);
    expect(() => transition('open', 'appeal_claimed')).toThrow(TransitionRefused);
  });

  it('asks which status an event leads to when it may lead to several', () => {
    expect(() => transition('in_review', 'decided')).toThrow(TransitionRefused);
    expect(transition('in_review', 'decided', 'closed')).toBe('closed');
  });

  it('refuses a decision on a case nobody has claimed, with a message that says so', () => {
    expect(() => transition('open', 'decided', 'closed')).toThrow(
      'a case that is open cannot be decided into closed',
    );
  });

  it('keeps the status for events that record without moving', () => {
    expect(transition('actioning', 'commented')).toBe('actioning');
    expect(() => transition('actioning', 'commented', 'closed')).toThrow(TransitionRefused);
  });
});
