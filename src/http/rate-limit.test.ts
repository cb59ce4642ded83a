import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { RateLimiter } from './rate-limit.ts';

describe('the rate limiter', () => {
  it('lets a minute’s allowance through, then refuses with the seconds to wait', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 60; i++) limiter.take('org:a', 60, 0, 'the organisation');
    try {
      limiter.take('org:a', 60, 0, 'the organisation');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).extra.retry_after).toBe(1);
    }
  });

  it('refills with time, and keeps buckets apart', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 60; i++) limiter.take('org:a', 60, 0, 'x');
    expect(() => limiter.take('org:b', 60, 0, 'x')).not.toThrow();
    expect(() => limiter.take('org:a', 60, 1_000, 'x')).not.toThrow();
    expect(() => limiter.take('org:a', 60, 1_000, 'x')).toThrow();
  });
});
