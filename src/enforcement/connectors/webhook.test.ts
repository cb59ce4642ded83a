import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatformApi } from '../../../test/support/fake-platform-api.ts';
import { type ActionType, actionTypes, type EnforcementAction, reversibility } from './connector.ts';
import { WebhookConnector, webhookRequestSchema } from './webhook.ts';

const secret = 'platform-shared-secret';
let platform: FakePlatformApi;
let connector: WebhookConnector;
let seq = 0;
// A pooled keep-alive connection may be cut mid-request before later ones are refused.
const unreachable = /^platform unreachable: (connection refused|connection closed before an answer)$/;

beforeAll(async () => {
  platform = await FakePlatformApi.start({ secret });
  connector = new WebhookConnector({ url: platform.url, secret, timeoutMs: 2000 });
});
afterAll(() => platform.stop());

function action(type: ActionType = 'hide_message'): EnforcementAction {
  seq += 1;
  return {
    action_id: `act-${seq}`,
    type,
    subject: {
      platform: 'telegram',
      kind: 'message',
      key: `telegram:message:example_channel/${seq}`,
      url: `https://t.me/example_channel/${seq}`,
    },
    params: { reason: 'terrorist propaganda (case test)' },
    case_id: 'case-1',
    decision_id: 'dec-1',
  };
}

describe('the webhook connector', () => {
  it('applies and reverts every action type through the platform', async () => {
    for (const type of actionTypes.filter((t) => t !== 'deliver_statement' && t !== 'deliver_warning')) {
      const a = action(type);
      expect(await connector.apply(a)).toEqual({
        status: 'applied',
        external_ref: `platform-${a.action_id}`,
      });
      expect(platform.inForce(a.subject.key)).toEqual([type]);
      expect(await connector.revert(a)).toEqual({
        status: 'applied',
        external_ref: `platform-${a.action_id}`,
      });
      expect(platform.inForce(a.subject.key)).toEqual([]);
    }
  });

  it('delivers a statement of reasons but cannot take it back', async () => {
    const a = action('deliver_statement');
    a.params = { statement_url: 'https://tapis.example/sor/abc' };
    expect((await connector.apply(a)).status).toBe('applied');
    const before = platform.requests.length;
    expect(await connector.revert(a)).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/cannot revert deliver_statement/),
    });
    expect(platform.requests.length).toBe(before);
    expect(reversibility(connector, 'deliver_statement')).toEqual({ supported: true, revertible: false });
    expect(reversibility(connector, 'hide_message')).toEqual({ supported: true, revertible: true });
  });

  it('sends a body the published schema accepts, with the idempotency key the platform checks', async () => {
    const a = action();
    await connector.apply(a);
    // The fake answers 400 to a body outside webhookRequestSchema or a wrong idempotency-key.
    expect(platform.requests.at(-1)).toEqual({ operation: 'apply', action_id: a.action_id, status: 201 });
    expect(
      webhookRequestSchema.safeParse({
        id: a.action_id,
        operation: 'apply',
        action: a,
        sent_at: new Date().toISOString(),
      }).success,
    ).toBe(true);
  });

  it('a repeated apply is recognised by the platform and reported as already done, not applied twice', async () => {
    const a = action();
    await connector.apply(a);
    expect(await connector.apply(a)).toMatchObject({ status: 'already_done' });
    expect(platform.effectsOf(a.action_id)).toHaveLength(1);
  });

  it('a 409 from the platform means already done', async () => {
    const strict = await FakePlatformApi.start({ secret, repeatAnswer: 409 });
    try {
      const c = new WebhookConnector({ url: strict.url, secret, timeoutMs: 2000 });
      const a = action();
      await c.apply(a);
      expect(await c.apply(a)).toEqual({ status: 'already_done', detail: 'already done' });
      expect(strict.effectsOf(a.action_id)).toHaveLength(1);
    } finally {
      await strict.stop();
    }
  });

  it('reverting an action the platform never applied is already done', async () => {
    expect(await connector.revert(action())).toEqual({
      status: 'already_done',
      detail: 'the platform reports not_applied',
    });
  });

  it('a 429 with Retry-After in seconds gives a retry after that many milliseconds', async () => {
    platform.failNext(1, { kind: 'rate_limited', retryAfter: '7' });
    expect(await connector.apply(action())).toEqual({
      status: 'retry',
      after_ms: 7000,
      detail: 'rate limited by the platform (429)',
    });
  });

  it('a 429 with Retry-After as a date gives a retry until that date', async () => {
    const at = new Date(Date.now() + 120_000);
    platform.failNext(1, { kind: 'rate_limited', retryAfter: at.toUTCString() });
    const outcome = await connector.apply(action());
    expect(outcome.status).toBe('retry');
    expect(outcome.status === 'retry' && outcome.after_ms).toBeGreaterThan(100_000);
  });

  it('5xx answers give retry, and after recovery the action is applied once', async () => {
    const a = action();
    platform.failNext(2, { kind: 'http_error', status: 503 });
    expect(await connector.apply(a)).toMatchObject({
      status: 'retry',
      detail: 'platform error 503: injected 503',
    });
    expect(await connector.apply(a)).toMatchObject({ status: 'retry' });
    expect(await connector.apply(a)).toMatchObject({ status: 'applied' });
    expect(platform.effectsOf(a.action_id)).toHaveLength(1);
  });

  it('while the platform is down every attempt is a retry; once it is back the action is applied exactly once', async () => {
    const a = action();
    await platform.goDown();
    try {
      for (let i = 0; i < 3; i++)
        expect(await connector.apply(a)).toEqual({
          status: 'retry',
          detail: expect.stringMatching(unreachable),
        });
    } finally {
      await platform.comeBack();
    }
    expect(await connector.apply(a)).toMatchObject({ status: 'applied' });
    expect(await connector.apply(a)).toMatchObject({ status: 'already_done' });
    expect(platform.effectsOf(a.action_id)).toEqual([
      { action_id: a.action_id, operation: 'apply', type: 'hide_message', key: a.subject.key },
    ]);
  });

  it('an answer lost after the platform acted is retried, and the platform does not act twice', async () => {
    const a = action();
    platform.failNext(1, { kind: 'lost_answer' });
    expect(await connector.apply(a)).toMatchObject({ status: 'retry' });
    expect(await connector.apply(a)).toMatchObject({ status: 'already_done' });
    platform.failNext(1, { kind: 'drop' });
    expect(await connector.revert(a)).toEqual({
      status: 'retry',
      detail: 'platform unreachable: connection closed before an answer',
    });
    expect((await connector.revert(a)).status).toBe('applied');
    expect(platform.effectsOf(a.action_id).map((e) => e.operation)).toEqual(['apply', 'revert']);
  });

  it('a platform slower than the timeout gives retry, and the late effect is not repeated', async () => {
    const quick = new WebhookConnector({ url: platform.url, secret, timeoutMs: 100 });
    const a = action();
    platform.failNext(1, { kind: 'slow', ms: 300 });
    expect(await quick.apply(a)).toEqual({
      status: 'retry',
      detail: 'platform unreachable: no answer within 100 ms',
    });
    // The late call lands when it lands (later still on a loaded machine): wait for it, not for a guess.
    await until(() => platform.effectsOf(a.action_id).length > 0);
    expect(await quick.apply(a)).toMatchObject({ status: 'already_done' });
    expect(platform.effectsOf(a.action_id)).toHaveLength(1);
  });

  it('a wrong secret is refused by the platform and reported as failed, with what to check', async () => {
    const wrong = new WebhookConnector({ url: platform.url, secret: 'not the secret', timeoutMs: 2000 });
    const outcome = await wrong.apply(action());
    expect(outcome).toEqual({
      status: 'failed',
      detail:
        'the platform refused the call (401): check the shared secret and the server clocks; it said: signature mismatch',
    });
  });

  it('a sender clock ten minutes off is refused as a stale signature', async () => {
    const skewed = new WebhookConnector({
      url: platform.url,
      secret,
      timeoutMs: 2000,
      clock: () => new Date(Date.now() - 600_000),
    });
    expect(await skewed.apply(action())).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/signature stale/),
    });
  });

  it('other 4xx answers are permanent failures', async () => {
    platform.failNext(1, { kind: 'http_error', status: 422 });
    expect(await connector.apply(action())).toEqual({
      status: 'failed',
      detail: 'the platform rejected the call (422): injected 422',
    });
  });

  it('status reports what the platform holds', async () => {
    const a = action('suspend_channel');
    expect(await connector.status(a)).toEqual({ state: 'not_applied' });
    await connector.apply(a);
    expect(await connector.status(a)).toEqual({ state: 'applied' });
    await connector.revert(a);
    expect(await connector.status(a)).toEqual({ state: 'not_applied' });
    await platform.goDown();
    try {
      expect(await connector.status(a)).toEqual({
        state: 'unknown',
        detail: expect.stringMatching(unreachable),
      });
    } finally {
      await platform.comeBack();
    }
  });
});

/** Waits until `check` holds, polling; fails after `ms` (generous: a loaded CI is slow). */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
