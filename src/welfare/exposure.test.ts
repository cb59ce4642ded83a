import { describe, expect, it } from 'vitest';
import {
  breakPrompt,
  countsAsExposure,
  exposureOf,
  refusesReveal,
  secondsToNextDay,
  startOfUtcWeek,
  utcDay,
} from './exposure.ts';

describe('exposure', () => {
  it('counts media, not letters or text', () => {
    expect(countsAsExposure('image/jpeg')).toBe(true);
    expect(countsAsExposure('video/mp4')).toBe(true);
    expect(countsAsExposure('audio/ogg')).toBe(true);
    expect(countsAsExposure('application/pdf')).toBe(false);
    expect(countsAsExposure('text/plain; charset=utf-8')).toBe(false);
    expect(countsAsExposure(null)).toBe(false);
  });

  it('is counted per UTC day: 23:59 in Jakarta time on the 28th is still the 28th in UTC until 07:00', () => {
    expect(utcDay(new Date('2026-11-28T16:59:00+07:00'))).toBe('2026-11-28');
    expect(utcDay(new Date('2026-11-29T06:59:59+07:00'))).toBe('2026-11-28');
    expect(utcDay(new Date('2026-11-29T07:00:00+07:00'))).toBe('2026-11-29');
  });

  it('refuses a new media item at the limit, but not one already seen today, nor a letter', () => {
    expect(refusesReveal(59, false, true, 60)).toBe(false);
    expect(refusesReveal(60, false, true, 60)).toBe(true);
    expect(refusesReveal(60, true, true, 60)).toBe(false);
    expect(refusesReveal(60, false, false, 60)).toBe(false);
  });

  it('prompts a break from three quarters of the limit, and says stop at the limit', () => {
    expect(breakPrompt(44, 60)).toBeNull();
    expect(breakPrompt(45, 60)).toMatch(/short break/);
    expect(breakPrompt(60, 60)).toMatch(/reached today's limit/);
    const at = new Date('2026-11-28T22:00:00Z');
    expect(exposureOf(60, 60, at)).toMatchObject({
      exposure_today: 60,
      remaining: 0,
      limit_reached: true,
      resets_at: new Date('2026-11-29T00:00:00Z'),
    });
  });

  it('asks to retry at the next UTC midnight', () => {
    expect(secondsToNextDay(new Date('2026-11-28T23:00:00Z'))).toBe(3600);
  });

  it('starts the week on Monday', () => {
    // 28 November 2026 is a Saturday.
    expect(startOfUtcWeek(new Date('2026-11-28T08:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(startOfUtcWeek(new Date('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
