import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'whsec_test_0123456789';
const body = JSON.stringify({ id: 'act-1', operation: 'apply' });
const now = 1_795_000_000;

describe('webhook signatures', () => {
  it('a signature made with the shared secret verifies', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: true, timestamp: now });
  });

  it('is HMAC-SHA256 over "<t>.<raw body>", so a receiver in any language can check it', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, body, now)).toBe(`t=${now},v1=${expected}`);
    expect(verifyWebhookSignature(secret, `t=${now},v1=${expected}`, Buffer.from(body), now).ok).toBe(true);
  });

  it('a body changed by one character no longer verifies', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body.replace('apply', 'revert'), now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('a signature made with another secret is refused', () => {
    const header = signWebhook('another secret', body, now);
    expect(verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a replay older than the tolerance is refused as stale, though its signature is valid', () => {
    const header = signWebhook(secret, body, now - 301);
    expect(verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(secret, header, body, now, 600).ok).toBe(true);
  });

  it('a timestamp too far in the future is refused as stale too', () => {
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, now + 400), body, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('a moved timestamp invalidates the signature, so a replay cannot be refreshed', () => {
    const [, v1] = signWebhook(secret, body, now - 1000).split(',');
    expect(verifyWebhookSignature(secret, `t=${now},${v1}`, body, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('a missing or malformed header is refused', () => {
    expect(verifyWebhookSignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhookSignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWebhookSignature(secret, `t=${now}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWebhookSignature(secret, `t=${now},v1=${'z'.repeat(64)}`, body, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('one matching v1 among several is enough, for rotating the secret', () => {
    const old = signWebhook('old secret', body, now).split(',')[1];
    const current = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, `${current},${old}`, body, now).ok).toBe(true);
    expect(verifyWebhookSignature('old secret', `${current},${old}`, body, now).ok).toBe(true);
  });

  it('any body signed with any secret verifies with that secret and no other', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string(), (a, b, text) => {
        const header = signWebhook(a, text, now);
        expect(verifyWebhookSignature(a, header, text, now).ok).toBe(true);
        if (a !== b) expect(verifyWebhookSignature(b, header, text, now).ok).toBe(false);
      }),
    );
  });
});
