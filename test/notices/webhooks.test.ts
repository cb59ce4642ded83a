import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/enforcement/connectors/webhook-signature.ts';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

let app: TestApp;
let admin: Caller;
let analyst: Caller;
let reviewer: Caller;
let worker: OutboxWorker;

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_ALLOW_PRIVATE_NETWORKS: 'true' } });
  admin = await app.loginAs('admin@komdigi.example');
  analyst = await app.loginAs('analis@komdigi.example');
  reviewer = await app.loginAs('peninjau@platform.example');
  worker = new OutboxWorker({
    db: app.ctx.db,
    clock: app.clock,
    log: app.ctx.log,
    handlers: outboxHandlers(app.ctx),
  });
});
afterAll(async () => {
  await app.close();
});

/** Runs the outbox until nothing is due, moving the clock past each backoff. */
async function drain(rounds = 60): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const handled = await worker.runOnce();
    if (handled === 0) {
      const pending = await app.ctx.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!pending) return;
      app.clock.advance(60_000);
    }
  }
}

const submit = async (target: string) =>
  (
    await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      payload: {
        targets: [target],
        category: 'terrorism',
        explanation: 'Synthetic notice for webhook delivery tests.',
        good_faith: true,
      },
    })
  ).json() as { notice_id: string };

interface Hook {
  id: string;
  secret: string;
  receiver: Receiver;
}

/**
 * A webhook of the test's own, to a receiver of its own, disabled afterwards: each test
 * sets up what it needs and runs alone or in any order.
 */
async function withHook(work: (hook: Hook) => Promise<void>): Promise<void> {
  const receiver = await startReceiver();
  const response = await app.request({
    method: 'POST',
    url: '/v1/webhooks',
    as: admin,
    payload: { url: receiver.url, description: 'SAMAN gateway' },
  });
  expect(response.statusCode, response.body).toBe(201);
  const hook = {
    id: response.json().webhook.id as string,
    secret: response.json().secret as string,
    receiver,
  };
  try {
    await work(hook);
  } finally {
    await app.request({ method: 'POST', url: `/v1/webhooks/${hook.id}/disable`, as: admin });
    await drain();
    await receiver.close();
  }
}

describe('webhooks', () => {
  it('are registered by the flagger_admin, with a secret shown once', async () => {
    const receiver = await startReceiver();
    try {
      const response = await app.request({
        method: 'POST',
        url: '/v1/webhooks',
        as: admin,
        payload: { url: receiver.url, description: 'SAMAN gateway' },
      });
      expect(response.statusCode).toBe(201);
      const { secret } = response.json();
      expect(secret).toMatch(/^whsec_/);
      const list = await app.request({ method: 'GET', url: '/v1/webhooks', as: admin });
      expect(list.body).toContain(response.json().webhook.id);
      expect(list.body).not.toContain(secret);
      await app.request({
        method: 'POST',
        url: `/v1/webhooks/${response.json().webhook.id}/disable`,
        as: admin,
      });
    } finally {
      await receiver.close();
    }
  });

  it('deliver signed events that the receiver can verify and recognise by id', () =>
    withHook(async ({ secret, receiver }) => {
      const { notice_id } = await submit('@hook_one');
      await drain();
      const delivered = receiver.received.map((r) => ({ ...r, json: JSON.parse(r.body) }));
      expect(delivered).toHaveLength(1);
      const [first] = delivered;
      expect(first!.json).toMatchObject({ type: 'notice.received', notice_id });
      expect(first!.headers['tapis-event-id']).toBe(first!.json.id);
      const check = verifyWebhookSignature(
        secret,
        first!.headers['tapis-signature'] as string,
        first!.body,
        app.clock().getTime() / 1000,
      );
      expect(check.ok).toBe(true);
    }));

  it('survive a receiver that is down for a while: every event arrives, in order per notice', () =>
    withHook(async ({ id: hookId, receiver }) => {
      await receiver.down();
      const a = await submit('@hook_a');
      const b = await submit('@hook_b');
      for (const id of [a.notice_id, b.notice_id]) {
        await app.request({
          method: 'POST',
          url: `/v1/notices/${id}/messages`,
          as: reviewer,
          payload: { body: 'Sedang ditinjau.' },
        });
        await app.request({
          method: 'POST',
          url: `/v1/notices/${id}/clarification-requests`,
          as: reviewer,
          payload: { question: 'Mohon konfirmasi.' },
        });
        await app.request({
          method: 'POST',
          url: `/v1/notices/${id}/clarification`,
          as: analyst,
          payload: { answer: 'Terkonfirmasi.' },
        });
      }
      // Several attempts fail while it is down.
      for (let i = 0; i < 3; i++) {
        await worker.runOnce();
        app.clock.advance(30_000);
      }
      receiver.status = 500;
      await receiver.up();
      for (let i = 0; i < 2; i++) {
        await worker.runOnce();
        app.clock.advance(60_000);
      }
      receiver.status = 200;
      await drain();

      const byNotice = new Map<string, string[]>();
      const ids = new Set<string>();
      for (const r of receiver.received) {
        const event = JSON.parse(r.body);
        ids.add(event.id);
        byNotice.set(event.notice_id, [...(byNotice.get(event.notice_id) ?? []), event.type]);
      }
      const expected = [
        'notice.received',
        'notice.message',
        'notice.clarification_requested',
        'notice.clarification_answered',
      ];
      expect(byNotice.get(a.notice_id)).toEqual(expected);
      expect(byNotice.get(b.notice_id)).toEqual(expected);
      expect(ids.size).toBe(receiver.received.length);

      const log = (
        await app.request({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries`, as: admin })
      ).json();
      expect(log.attempts.some((a: { error: string | null }) => a.error !== null)).toBe(true);
      expect(log.attempts.some((a: { status_code: number | null }) => a.status_code === 500)).toBe(true);
      expect(log.queue).toEqual([]);
    }));

  it('can be redelivered by hand, and the repeat carries the same event id', () =>
    withHook(async ({ id: hookId, receiver }) => {
      const { notice_id } = await submit('@hook_redeliver');
      await drain();
      const original = JSON.parse(receiver.received[0]!.body);
      const again = await app.request({
        method: 'POST',
        url: `/v1/webhooks/${hookId}/redeliver`,
        as: admin,
        payload: { event_id: original.id },
      });
      expect(again.statusCode).toBe(202);
      await drain();
      const repeats = receiver.received
        .map((r) => JSON.parse(r.body))
        .filter((e) => e.notice_id === notice_id);
      expect(repeats.map((e) => e.id)).toEqual([original.id, original.id]);
    }));

  it('are refused on private addresses unless the operator allows them', async () => {
    const strict = await createTestApp();
    try {
      const komdigiAdmin = await strict.loginAs('admin@komdigi.example');
      const response = await strict.request({
        method: 'POST',
        url: '/v1/webhooks',
        as: komdigiAdmin,
        payload: { url: 'https://10.0.0.5/hook' },
      });
      expect(response.statusCode).toBe(400);
      const http = await strict.request({
        method: 'POST',
        url: '/v1/webhooks',
        as: komdigiAdmin,
        payload: { url: 'http://ministry.example/hook' },
      });
      expect(http.statusCode).toBe(400);
    } finally {
      await strict.close();
    }
  });

  it('stop when disabled', () =>
    withHook(async ({ id: hookId, receiver }) => {
      await submit('@hook_before_disable');
      await drain();
      expect(receiver.received).toHaveLength(1);
      expect(
        (await app.request({ method: 'POST', url: `/v1/webhooks/${hookId}/disable`, as: admin })).statusCode,
      ).toBe(204);
      await submit('@hook_after_disable');
      await drain();
      expect(receiver.received).toHaveLength(1);
    }));
});
