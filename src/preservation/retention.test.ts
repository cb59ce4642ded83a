import { describe, expect, it } from 'vitest';
import { effectiveUntil, holdIsActive, isPurgeable, preservedUntil } from './retention.ts';

const decided = new Date('2026-01-10T00:00:00Z');
const now = new Date('2026-08-01T00:00:00Z');

describe('retention', () => {
  it('keeps a case’s content for the period after its decision, or after now while undecided', () => {
    expect(preservedUntil(decided, now, 183).toISOString()).toBe('2026-07-12T00:00:00.000Z');
    expect(preservedUntil(null, now, 183).toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it('dates evidence without a restrictive decision from its notice’s closing, and not while the notice is open', () => {
    expect(effectiveUntil(null, decided, 183)?.toISOString()).toBe('2026-07-12T00:00:00.000Z');
    expect(effectiveUntil(null, null, 183)).toBeNull();
    expect(effectiveUntil(now, decided, 183)).toBe(now);
  });

  it('a hold is active until released or until its own date', () => {
    expect(holdIsActive({ released_at: null, until: null }, now)).toBe(true);
    expect(holdIsActive({ released_at: null, until: new Date('2026-09-01T00:00:00Z') }, now)).toBe(true);
    expect(holdIsActive({ released_at: null, until: new Date('2026-07-01T00:00:00Z') }, now)).toBe(false);
    expect(holdIsActive({ released_at: decided, until: null }, now)).toBe(false);
  });

  it('purges only past the date, and only when every case it belongs to is closed and unheld', () => {
    const due = new Date('2026-07-12T00:00:00Z');
    expect(isPurgeable(due, [{ status: 'closed', held: false }], now)).toBe(true);
    expect(isPurgeable(new Date('2026-09-01T00:00:00Z'), [{ status: 'closed', held: false }], now)).toBe(
      false,
    );
    expect(
      isPurgeable(
        due,
        [
          { status: 'closed', held: false },
          { status: 'closed', held: true },
        ],
        now,
      ),
    ).toBe(false);
    expect(
      isPurgeable(
        due,
        [
          { status: 'closed', held: false },
          { status: 'under_appeal', held: false },
        ],
        now,
      ),
    ).toBe(false);
    expect(isPurgeable(null, [{ status: 'closed', held: false }], now)).toBe(false);
  });
});
