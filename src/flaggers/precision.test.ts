import { describe, expect, it } from 'vitest';
import {
  countedRows,
  figureOf,
  figuresOf,
  isBelowThreshold,
  type JudgedTarget,
  verdictOf,
} from './precision.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

let seq = 0;
function row(outcome: string | null, extra: Partial<JudgedTarget> = {}): JudgedTarget {
  seq += 1;
  return {
    org_id: 'org',
    notice_id: `n${seq}`,
    target_idx: 0,
    received_at: daysAgo(11),
    category: 'terrorism',
    reference: null,
    target: `https://t.me/channel_${seq}`,
    outcome,
    decided_at: outcome === null ? null : daysAgo(10),
    decision_outcome: null,
    case_outcome: outcome,
    reverted_at: null,
    appeals: [],
    ...extra,
  };
}
const upheldAppeal = (by: 'affected_user' | 'notifier') => [
  { appellant_type: by, outcome: 'upheld' as const, decided_at: daysAgo(5) },
];

describe('what counts as upheld', () => {
  it('counts removal, restriction in the jurisdiction, suspension and labelling as upheld', () => {
    for (const o of ['removed', 'restricted_in_jurisdiction', 'suspended', 'labelled'])
      expect(verdictOf(row(o))).toBe('upheld');
  });

  it('counts no action and rejection as unsubstantiated as not upheld', () => {
    expect(verdictOf(row('no_action'))).toBe('not_upheld');
    expect(verdictOf(row('rejected_unsubstantiated'))).toBe('not_upheld');
  });

  it('leaves out impossible, already actioned, unknown and undecided targets', () => {
    expect(verdictOf(row('impossible'))).toBe('excluded');
    expect(verdictOf(row('already_actioned'))).toBe('excluded');
    expect(verdictOf(row('something_new'))).toBe('excluded');
    expect(verdictOf(row(null))).toBe('undecided');
  });

  it('counts a removal reversed on the affected user’s appeal as not upheld, however the reversal is recorded', () => {
    expect(verdictOf(row('removed', { reverted_at: daysAgo(3) }))).toBe('not_upheld');
    expect(verdictOf(row('removed', { case_outcome: 'reverted' }))).toBe('not_upheld');
    expect(verdictOf(row('reverted'))).toBe('not_upheld');
    expect(verdictOf(row('removed', { appeals: upheldAppeal('affected_user') }))).toBe('not_upheld');
    expect(
      verdictOf(
        row('removed', {
          appeals: [{ appellant_type: 'affected_user', outcome: 'rejected', decided_at: daysAgo(5) }],
        }),
      ),
    ).toBe('upheld');
  });

  it('counts a refusal overturned on the notifier’s appeal as upheld', () => {
    expect(verdictOf(row('no_action', { appeals: upheldAppeal('notifier') }))).toBe('upheld');
    expect(
      verdictOf(
        row('no_action', {
          appeals: [{ appellant_type: 'notifier', outcome: 'rejected', decided_at: daysAgo(5) }],
        }),
      ),
    ).toBe('not_upheld');
  });
});

describe('the figure', () => {
  it('is upheld ÷ decided, with the counts behind it', () => {
    const rows = [
      row('removed'),
      row('removed', { reverted_at: daysAgo(2) }),
      row('suspended'),
      row('no_action'),
      row('rejected_unsubstantiated'),
      row('no_action', { appeals: upheldAppeal('notifier') }),
      row('impossible'),
      row(null),
    ];
    expect(figureOf(rows)).toEqual({
      precision: 3 / 6,
      upheld: 3,
      not_upheld: 3,
      decided: 6,
      reversed_on_appeal: 1,
      overturned_for_notifier: 1,
      notices: 6,
      excluded: 1,
      undecided: 1,
    });
    expect(countedRows(rows)).toHaveLength(6);
  });

  it('counts each target of a notice, and the notice once', () => {
    const a = row('removed', { notice_id: 'multi', target_idx: 0 });
    const b = row('no_action', { notice_id: 'multi', target_idx: 1 });
    expect(figureOf([a, b])).toMatchObject({
      upheld: 1,
      not_upheld: 1,
      decided: 2,
      notices: 1,
      precision: 0.5,
    });
  });

  it('has no precision with nothing decided', () => {
    expect(figureOf([row(null), row('impossible')]).precision).toBeNull();
  });

  it('keeps 90 days by decision date and all time apart; undecided notices fall in by arrival', () => {
    const rows = [
      row('removed', { decided_at: daysAgo(10) }),
      row('no_action', { decided_at: daysAgo(89) }),
      row('no_action', { decided_at: daysAgo(91), received_at: daysAgo(92) }),
      row('removed', { decided_at: daysAgo(400), received_at: daysAgo(401) }),
      row(null, { received_at: daysAgo(1) }),
      row(null, { received_at: daysAgo(200) }),
    ];
    const figures = figuresOf(rows, NOW);
    expect(figures.last_90_days).toMatchObject({
      upheld: 1,
      not_upheld: 1,
      decided: 2,
      undecided: 1,
      precision: 0.5,
    });
    expect(figures.all_time).toMatchObject({
      upheld: 2,
      not_upheld: 2,
      decided: 4,
      undecided: 2,
      precision: 0.5,
    });
  });

  it('a reversal long after the decision changes the verdict, not the date it counts at', () => {
    const reversed = row('removed', { decided_at: daysAgo(100), reverted_at: daysAgo(1) });
    const figures = figuresOf([reversed], NOW);
    expect(figures.last_90_days.decided).toBe(0);
    expect(figures.all_time).toMatchObject({ not_upheld: 1, reversed_on_appeal: 1 });
  });
});

describe('the threshold', () => {
  const settings = { threshold: 0.7, minDecided: 10 };
  const figure = (upheld: number, notUpheld: number) =>
    figureOf([
      ...Array.from({ length: upheld }, () => row('removed')),
      ...Array.from({ length: notUpheld }, () => row('no_action')),
    ]);

  it('is crossed below 70% on at least ten decided targets', () => {
    expect(isBelowThreshold(figure(6, 4), settings)).toBe(true);
    expect(isBelowThreshold(figure(7, 3), settings)).toBe(false);
  });

  it('is not crossed on too few decided targets, however poor', () => {
    expect(isBelowThreshold(figure(0, 9), settings)).toBe(false);
    expect(isBelowThreshold(figure(0, 0), settings)).toBe(false);
  });
});
