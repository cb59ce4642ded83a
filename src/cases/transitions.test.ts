import { describe, expect, it } from 'vitest';
import { type CaseEventType, type CaseStatus, caseEventTypes, caseStatuses, TransitionRefused, transition, transitions } from './transitions.ts';

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

  it('asks which status an event leads to when it may lead to several', () => {
    expect(() => transition('in_review', 'decided')).toThrow(TransitionRefused);
    expect(transition('in_review', 'decided', 'closed')).toBe('closed');
  });

  it('refuses a decision on a case nobody has claimed, with a message that says so', () => {
    expect(() => transition('open', 'decided', 'closed')).toThrow('a case that is open cannot be decided into closed');
  });

  it('keeps the status for events that record without moving', () => {
    expect(transition('actioning', 'commented')).toBe('actioning');
    expect(() => transition('actioning', 'commented', 'closed')).toThrow(TransitionRefused);
  });
});
