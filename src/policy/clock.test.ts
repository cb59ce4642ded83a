import { describe, expect, it } from 'vitest';
import { clockState, dueAt, dueMarks, elapsedShare, marks, markTime, type Pause } from './clock.ts';

const received = new Date('2026-11-28T08:00:00Z');
const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00Z`);

describe('the SOP clock', () => {
  it('is due the allowed hours after receipt when never paused', () => {
    expect(dueAt(received, 4, [], at('09:00'))).toEqual(at('12:00'));
  });

  it('a clarification request pauses the clock, and the answer resumes it', () => {
    const pauses: Pause[] = [{ from: at('09:00'), to: at('10:30') }];
    expect(dueAt(received, 4, pauses, at('11:00'))).toEqual(at('13:30'));
    expect(clockState(received, 4, pauses, at('09:30'))).toBe('paused');
    expect(elapsedShare(received, 4, pauses, at('10:30'))).toBeCloseTo(0.25);
  });

  it('an open pause keeps pushing the due time while it lasts', () => {
    const pauses: Pause[] = [{ from: at('09:00'), to: null }];
    expect(dueAt(received, 4, pauses, at('10:00'))).toEqual(at('13:00'));
    expect(dueAt(received, 4, pauses, at('11:00'))).toEqual(at('14:00'));
  });

  it('is at risk past the first threshold and breached at the deadline', () => {
    expect(clockState(received, 4, [], at('09:59'))).toBe('running');
    expect(clockState(received, 4, [], at('10:00'))).toBe('at_risk');
    expect(clockState(received, 4, [], at('12:00'))).toBe('breached');
    expect(clockState(received, 4, [], at('12:00'), [0.5, 0.8], at('11:00'))).toBe('stopped');
  });

  it('orders its marks, with the internal target among them', () => {
    expect(marks([0.8, 0.5], 0.25).map((m) => `${m.kind}@${m.share}`)).toEqual([
      'target_missed@0.25',
      'at_risk@0.5',
      'at_risk@0.8',
      'breached@1',
    ]);
    expect(marks([0.5], 1).map((m) => m.kind)).toEqual(['at_risk', 'breached']);
  });

  it('announces each crossed mark once, in order', () => {
    const all = marks([0.5, 0.8], 0.25);
    expect(dueMarks(received, 4, [], at('11:30'), all, 0).map((m) => m.share)).toEqual([0.25, 0.5, 0.8]);
    expect(dueMarks(received, 4, [], at('11:30'), all, 2).map((m) => m.share)).toEqual([0.8]);
    expect(dueMarks(received, 4, [], at('12:30'), all, 3).map((m) => m.kind)).toEqual(['breached']);
  });

  it('schedules the next mark on the running clock, and none while paused', () => {
    expect(markTime(received, 4, [], at('09:00'), 0.5)).toEqual(at('10:00'));
    const pauses: Pause[] = [{ from: at('09:00'), to: at('09:30') }];
    expect(markTime(received, 4, pauses, at('09:45'), 0.5)).toEqual(at('10:30'));
    expect(markTime(received, 4, [{ from: at('09:00'), to: null }], at('09:45'), 0.5)).toBeNull();
  });
});
