import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { addEntries, createBank } from '../../src/screening/banks/bank-store.ts';
import type { Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { ensureContentStreams } from '../../src/stream/nats/consumer.ts';
import { natsNames, REASON_HEADER } from '../../src/stream/nats/subjects.ts';
import { REPEAT_INFRINGER_ID } from '../../src/strikes/repeat-infringers.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';
import { onPostgres } from '../support/store.ts';
import { flipBits, post, randomPdq } from './support.ts';

/**
 * Real NATS JetStream (127.0.0.1:4222) and two `tapis worker` processes on one PostgreSQL
 * database; one is killed with SIGKILL midway. Every post is scanned exactly once in
 * effect: no result missing, no case or action doubled. The workers share a database, so
 * this runs on PostgreSQL (CI's second pass); the embedded PGlite is one process's alone.
 * Each run has a stream and subjects of its own, deleted at the end.
 */
const NATS_URL = process.env.TAPIS_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const POSTS = 10_000;
const MATCH_EVERY = 50;
const bin = path.resolve(import.meta.dirname, '../../bin/tapis.js');
const run = randomBytes(4).toString('hex');
const names = natsNames({ TAPIS_NATS_STREAM: `TEST_${run}`, TAPIS_NATS_SUBJECT: `t${run}.content` });

let shared: SharedStore;
let store: Store;
let nc: NatsConnection;
const workers: ChildProcess[] = [];
const banked = randomPdq(-5150);

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'warn',
      TAPIS_NATS_URL: NATS_URL,
      TAPIS_NATS_STREAM: names.stream,
      TAPIS_NATS_SUBJECT: `t${run}.content`,
      TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
      TAPIS_PLATFORM_WEBHOOK_URL: 'http://127.0.0.1:9/moderation',
      TAPIS_PLATFORM_WEBHOOK_SECRET: 'platform-webhook-secret-for-tests',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', () => {});
  workers.push(child);
  return child;
}

async function count(table: 'content_events' | 'detections' | 'decisions' | 'cases' | 'enforcement_actions') {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!onPostgres)('two NATS workers, one killed midway', () => {
  beforeAll(async () => {
    shared = await createSharedStore();
    store = await shared.open();
    await migrateToLatest(store);
    const now = new Date();
    const bank = await createBank(
      store.db,
      cliActor,
      { name: 'nats-auto', policy: 'auto_action', auto_action: { outcome: 'remove' } },
      now,
    );
    await addEntries(store.db, cliActor, bank.id, [{ signal_type: 'pdq', value: banked }], now);
    nc = await connect({ servers: NATS_URL });
    await ensureContentStreams(nc, names);
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    if (nc) {
      const jsm = await jetstreamManager(nc);
      for (const stream of [names.stream, names.deadStream])
        await jsm.streams.delete(stream).catch(() => false);
      await nc.close();
    }
    await store?.close();
    await shared?.dispose();
  });

  it('scans every one of 10,000 posts exactly once in effect, and dead-letters the malformed with their reason', async () => {
    const js = jetstream(nc);
    const subject = `t${run}.content.telegram`;
    for (let i = 0; i < POSTS; i += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, j) => {
          const n = i + j;
          const media =
            n % MATCH_EVERY === 0 ? [{ pdq: flipBits(banked, n % 16, n) }] : [{ pdq: randomPdq(n + 1) }];
          const event = post({
            id: String(n + 1),
            channel: `nats_channel_${n % 97}`,
            text: `Synthetic post ${n}.`,
            media,
          });
          return js.publish(subject, JSON.stringify(event));
        }),
      );
    }
    await js.publish(subject, '{"type": "post_created", "platform": ');
    await js.publish(subject, JSON.stringify(post({ type: 'post_teleported' })));
    await js.publish(subject, new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]));

    const first = startWorker(shared.env);
    startWorker(shared.env);
    await until(async () => (await count('content_events')) >= POSTS / 3, 60_000);
    first.kill('SIGKILL');
    await until(async () => (await count('content_events')) >= POSTS, 75_000);

    expect(await count('content_events')).toBe(POSTS);
    const matches = POSTS / MATCH_EVERY;
    const detected = await store.db
      .selectFrom('detections')
      .select(['post_id', 'kind', 'distance', 'case_id'])
      .execute();
    const expected = new Set(
      Array.from({ length: matches }, (_, k) => k * MATCH_EVERY).map(
        (n) => `nats_channel_${n % 97}/${n + 1}`,
      ),
    );
    expect(detected.filter((d) => !expected.has(d.post_id))).toEqual([]);
    expect(detected).toHaveLength(matches);
    // One bank-policy decision per case; the repeat-infringer rules' own warnings and
    // suspensions of the channels struck again and again (src/strikes) come on top.
    const decisions = await store.db
      .selectFrom('decisions')
      .where('decided_by', '!=', REPEAT_INFRINGER_ID)
      .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('case_id')
      .execute();
    expect(decisions).toHaveLength(matches);
    expect(decisions.every((d) => Number(d.n) === 1)).toBe(true);
    const doubled = await sql<{ n: number }>`select count(*) as n from (
        select decision_id, type from enforcement_actions group by decision_id, type having count(*) > 1) d`.execute(
      store.db,
    );
    expect(Number(doubled.rows[0]!.n)).toBe(0);

    const jsm = await jetstreamManager(nc);
    await until(async () => (await jsm.streams.info(names.deadStream)).state.messages >= 3, 20_000);
    const dead = await jsm.streams.getMessage(names.deadStream, { seq: 1 });
    expect(dead?.header.get(REASON_HEADER)).toMatch(/not valid JSON|type: |UTF-8/);
  }, 170_000);
});
