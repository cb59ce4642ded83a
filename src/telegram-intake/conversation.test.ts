import { describe, expect, it } from 'vitest';
import { advance, allows, draftStates, isOpen, StepRefused, steps, transitions } from './conversation.ts';

describe('the conversation table', () => {
  it('every open state can be cancelled, and a closed one takes nothing', () => {
    for (const state of draftStates) {
      if (isOpen(state)) expect(advance(state, 'cancel')).toBe('cancelled');
      else for (const step of steps) expect(allows(state, step)).toBe(false);
    }
  });

  it('every state × step either moves to a known state or is refused with a typed error', () => {
    for (const state of draftStates) {
      for (const step of steps) {
        const next = transitions[state][step];
        if (next) expect(draftStates).toContain(advance(state, step));
        else expect(() => advance(state, step)).toThrow(StepRefused);
      }
    }
  });

  it('only a confirmation files a notice, and only from the summary', () => {
    const filing = draftStates.flatMap((state) => (transitions[state].confirm ? [state] : []));
    expect(filing).toEqual(['confirm']);
    expect(advance('confirm', 'confirm')).toBe('filed');
  });

  it('the happy path: a post, a category, a legal basis, a confirmation', () => {
    let state = advance('needs_target', 'post');
    for (const step of ['category', 'basis', 'confirm'] as const) state = advance(state, step);
    expect(state).toBe('filed');
  });

  it('a second, unrelated post is refused while a draft is past gathering', () => {
    for (const state of ['category', 'legal_basis', 'legal_basis_text', 'confirm'] as const)
      expect(allows(state, 'post')).toBe(false);
    expect(allows('gathering', 'post')).toBe(true);
  });
});
