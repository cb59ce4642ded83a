import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import {
  type FlaggerFacts,
  flaggerStatuses,
  mayNotify,
  planStatusChange,
  statusBeforeSuspension,
  statusTransitions,
} from './status.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const later = new Date('2026-12-31T00:00:00Z');
const earlier = new Date('2026-11-01T00:00:00Z');

const facts = (extra: Partial<FlaggerFacts> = {}): FlaggerFacts => ({
  flagger_status: 'regular',
  designated_by: null,
  designated_categories: [],
  designated_jurisdictions: [],
  suspended_until: null,
  last_warning_at: null,
  last_suspension_at: null,
  ...extra,
});

const errorOf = (result: unknown) => {
  expect(result).toBeInstanceOf(DomainError);
  return result as DomainError;
};

describe('the status table', () => {
  it('lets every status move to every other', () => {
    for (const from of flaggerStatuses)
      for (const to of flaggerStatuses) expect(statusTransitions[from]).toContain(to);
  });
});

describe('a status change', () => {
  it('to trusted records who designated the flagger, and its area', () => {
    const planned = planStatusChange(
      facts(),
      {
        status: 'trusted',
        reasons: 'Designated.',
        designated_by: 'Komdigi',
        designated_categories: ['terrorism'],
        designated_jurisdictions: ['ID'],
      },
      NOW,
    );
    expect(planned).toEqual({
      from: 'regular',
      to: 'trusted',
      designated_by: 'Komdigi',
      designated_categories: ['terrorism'],
      designated_jurisdictions: ['ID'],
      suspended_until: null,
    });
  });

  it('to trusted needs a designating authority', () => {
    expect(
      errorOf(planStatusChange(facts(), { status: 'trusted', reasons: 'x' }, NOW)).issues[0]!.pointer,
    ).toBe('/designated_by');
  });

  it('to regular keeps the designation on record, and takes none', () => {
    const trusted = facts({
      flagger_status: 'trusted',
      designated_by: 'DSC',
      designated_categories: ['terrorism'],
    });
    expect(
      planStatusChange(trusted, { status: 'regular', reasons: 'Revoked after hearing.' }, NOW),
    ).toMatchObject({ to: 'regular', designated_by: 'DSC', designated_categories: ['terrorism'] });
    expect(
      errorOf(planStatusChange(trusted, { status: 'regular', reasons: 'x', designated_by: 'DSC' }, NOW)).kind,
    ).toBe('invalid');
  });

  it('to suspended needs a future end date', () => {
    const warned = facts({ last_warning_at: earlier });
    expect(
      errorOf(planStatusChange(warned, { status: 'suspended', reasons: 'x' }, NOW)).issues[0]!.pointer,
    ).toBe('/until');
    expect(
      errorOf(planStatusChange(warned, { status: 'suspended', reasons: 'x', until: earlier }, NOW)).issues[0]!
        .pointer,
    ).toBe('/until');
    expect(planStatusChange(warned, { status: 'suspended', reasons: 'x', until: later }, NOW)).toMatchObject({
      to: 'suspended',
      suspended_until: later,
    });
  });

  it('to suspended is refused without a prior warning (DSA Art. 23(2))', () => {
    const error = errorOf(
      planStatusChange(facts(), { status: 'suspended', reasons: 'x', until: later }, NOW),
    );
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/prior warning/);
  });

  it('to suspended again needs a new warning after the last suspension', () => {
    const used = facts({
      last_warning_at: new Date('2026-10-01T00:00:00Z'),
      last_suspension_at: new Date('2026-10-02T00:00:00Z'),
    });
    expect(
      errorOf(planStatusChange(used, { status: 'suspended', reasons: 'x', until: later }, NOW)).kind,
    ).toBe('conflict');
    const rewarned = { ...used, last_warning_at: earlier };
    expect(
      planStatusChange(rewarned, { status: 'suspended', reasons: 'x', until: later }, NOW),
    ).toMatchObject({ to: 'suspended' });
  });

  it('can extend a suspension without a new warning, but not repeat it', () => {
    const suspended = facts({
      flagger_status: 'suspended',
      suspended_until: later,
      last_warning_at: earlier,
      last_suspension_at: NOW,
    });
    const extended = new Date('2027-01-31T00:00:00Z');
    expect(
      planStatusChange(suspended, { status: 'suspended', reasons: 'Extended.', until: extended }, NOW),
    ).toMatchObject({ suspended_until: extended });
    expect(
      errorOf(planStatusChange(suspended, { status: 'suspended', reasons: 'Same.', until: later }, NOW)).kind,
    ).toBe('conflict');
  });

  it('refuses a change that changes nothing', () => {
    expect(errorOf(planStatusChange(facts(), { status: 'regular', reasons: 'x' }, NOW)).kind).toBe(
      'conflict',
    );
  });
});

describe('the end of a suspension', () => {
  it('returns the flagger to the status it had before, looking through extensions', () => {
    const history = [
      { from_status: 'regular', to_status: 'trusted' },
      { from_status: 'trusted', to_status: 'suspended' },
      { from_status: 'suspended', to_status: 'suspended' },
    ];
    expect(statusBeforeSuspension(history)).toBe('trusted');
    expect(
      statusBeforeSuspension([
        ...history,
        { from_status: 'suspended', to_status: 'regular' },
        { from_status: 'regular', to_status: 'suspended' },
      ]),
    ).toBe('regular');
    expect(statusBeforeSuspension([])).toBe('regular');
  });
});

describe('may a notifier notify', () => {
  it('not while suspended, and the refusal says until when', () => {
    const refused = mayNotify({ flagger_status: 'suspended', suspended_until: later }, NOW);
    expect(refused).toMatchObject({ ok: false, until: later });
    expect(refused.ok === false && refused.reason).toMatch(/until 2026-12-31T00:00:00.000Z/);
    expect(mayNotify({ flagger_status: 'suspended', suspended_until: earlier }, NOW)).toEqual({ ok: true });
    expect(mayNotify({ flagger_status: 'regular', suspended_until: null }, NOW)).toEqual({ ok: true });
  });
});
