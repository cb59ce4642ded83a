import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/outbox/outbox.ts';
import { type ClaimedMessage, OutboxWorker, type TopicHandler } from '../../src/outbox/worker.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import type { Store } from '../../src/store/db.ts';
import { createTestApp } from '../support/app.ts';
import { testClock } from '../support/clock.ts';
import { openTestStore } from '../support/store.ts';

let store: Store;
const clock = testClock();
const log = createLogger('silent');

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await store.db.deleteFrom('outbox').execute();
  await store.db.deleteFrom('outbox_endpoints').execute();
  clock.set('2026-11-28T08:00:00.000Z');
});

/** A worker whose webhook handler always fails (a receiver that does not resolve). */
function workerWith(batchSize: number, webhookFails = (m: ClaimedMessage) => m.endpoint === 'webhook:dead') {
  const delivered: ClaimedMessage[] = [];
  const record: TopicHandler = {
    handle: async (message) => {
      delivered.push(message);
    },
  };
  const webhook: TopicHandler = {
    handle: async (message) => {
      delivered.push(message);
      if (webhookFails(message)) throw new Error('getaddrinfo ENOTFOUND dead.invalid');
    },
  };
  const worker = new OutboxWorker({
    db: store.db,
    clock,
    log,
    batchSize,
    handlers: { 'webhook.deliver': webhook, 'enforcement.apply': record, 'bulk.process': record },
  });
  return { worker, delivered };
}

async function deadHookRetries(count: number, endpoint = 'webhook:dead') {
  await enqueue(
    store.db,
    Array.from({ length: count }, (_, i) => ({
      topic: 'webhook.deliver',
      orderingKey: `${endpoint}:notice-${i}`,
      endpoint,
      payload: { n: i },
    })),
    clock(),
  );
}

describe('outbox lanes', () => {
  it('claims a new removal before a dead webhook’s many due retries', async () => {
    await deadHookRetries(200);
    await enqueue(store.db, { topic: 'bulk.process', payload: { job: 1 } }, clock());
    clock.advance(1_000);
    await enqueue(store.db, { topic: 'enforcement.apply', payload: { action_id: 'remove' } }, clock());
    const { worker, delivered } = workerWith(20);
    await worker.runOnce();
    expect(delivered.map((m) => m.topic)).toContain('enforcement.apply');
  });

  it('lets a worker of the enforcement lane ignore every other lane', async () => {
    await deadHookRetries(5);
    await enqueue(store.db, { topic: 'enforcement.apply', payload: { action_id: 'a' } }, clock());
    const delivered: string[] = [];
    const worker = new OutboxWorker({
      db: store.db,
      clock,
      log,
      lanes: ['enforcement'],
      handlers: {
        'webhook.deliver': { handle: async (m) => void delivered.push(m.topic) },
        'enforcement.apply': { handle: async (m) => void delivered.push(m.topic) },
      },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(delivered).toEqual(['enforcement.apply']);
  });
});

describe('the webhook circuit breaker', () => {
  it('stops claiming a failing hook’s messages until its next attempt is due', async () => {
    await deadHookRetries(10);
    await enqueue(
      store.db,
      {
        topic: 'webhook.deliver',
        endpoint: 'webhook:alive',
        orderingKey: 'alive:1',
        payload: { alive: true },
      },
      clock(),
    );
    const { worker, delivered } = workerWith(1);
    await worker.runOnce(); // the dead hook's first message fails: its circuit opens
    await worker.runOnce(); // the other hook's message goes, not the dead hook's second
    expect(delivered.map((m) => m.endpoint)).toEqual(['webhook:dead', 'webhook:alive']);
    clock.advance(500);
    expect(await worker.runOnce()).toBe(0);

    // When the circuit's time is up, exactly one message goes through as a probe.
    clock.advance(60 * 60_000);
    const { worker: wide, delivered: probes } = workerWith(20);
    expect(await wide.runOnce()).toBe(1);
    expect(probes[0]?.endpoint).toBe('webhook:dead');
    const circuit = await store.db
      .selectFrom('outbox_endpoints')
      .selectAll()
      .where('endpoint', '=', 'webhook:dead')
      .executeTakeFirstOrThrow();
    expect(circuit.failures).toBe(2);
    expect(circuit.open_until.getTime()).toBeGreaterThan(clock().getTime());
  });

  it('closes the circuit when a probe succeeds, and the backlog flows again', async () => {
    await deadHookRetries(10);
    await workerWith(1).worker.runOnce();
    clock.advance(60 * 60_000);
    const { worker, delivered } = workerWith(20, () => false);
    expect(await worker.runOnce()).toBe(1);
    expect(await store.db.selectFrom('outbox_endpoints').selectAll().execute()).toEqual([]);
    expect(await worker.runOnce()).toBe(9);
    expect(delivered).toHaveLength(10);
  });
});

describe('the outbox metric', () => {
  it('reports the age of the oldest pending message per lane', async () => {
    const app = await createTestApp({ demo: false });
    try {
      await enqueue(app.ctx.db, { topic: 'enforcement.apply', payload: { action_id: 'x' } }, app.clock());
      app.clock.advance(90_000);
      const response = await app.request({ method: 'GET', url: '/metrics' });
      expect(response.body).toMatch(/tapis_outbox_oldest_pending_seconds\{lane="enforcement"\} 90\b/);
      expect(response.body).toMatch(/tapis_outbox_oldest_pending_seconds\{lane="notification"\} 0\b/);
      expect(response.body).toMatch(/tapis_outbox_pending\{lane="enforcement"\} 1\b/);
    } finally {
      await app.close();
    }
  });
});
