import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { AppContext } from '../../runtime/context.ts';
import { commitScan, planScan, type ScanPlan } from '../../scanning/scan-batch.ts';
import { type PreparedEvent, parseMessage, prepareEvent } from '../prepare.ts';
import { type NatsNames, natsNames, REASON_HEADER } from './subjects.ts';

/**
 * The JetStream way in: a durable pull consumer on TAPIS_CONTENT, shared by every worker
 * (each message goes to one of them). A worker scans a batch in one transaction
 * (src/scanning/scan-batch.ts) and acknowledges its messages only after that commit, so a
 * worker killed mid-batch leaves its messages unacknowledged and JetStream redelivers them
 * to another after ACK_WAIT; a batch committed but not acknowledged is recognised on
 * redelivery (same platform, id and revision) and acknowledged without a second effect. A
 * malformed message is republished on the dead-letter subject with its reason, then
 * acknowledged: never dropped silently, never retried forever.
 *
 * Throughput (docs/decisions/0020-throughput-and-report-times.md): messages stream in
 * through consume() into a bounded buffer (at most PREFETCH held, so one worker never takes
 * what another could scan, and nothing waits near ACK_WAIT), and the worker works as a
 * two-stage pipeline: while the database commits batch N, this process parses, hashes and
 * matches batch N+1. At most one commit is in flight per worker, so commits stay in order
 * and the acknowledgements of a batch always follow its own commit.
 */
export const ACK_WAIT_MS = 10_000;
/** Posts per transaction: one commit and one round of acknowledgements per batch. */
export const BATCH = 1_000;
/** Messages a worker holds unacknowledged at most: the batch being committed, the one being matched, one arriving. */
const PREFETCH = 3 * BATCH;
/** How long a partial batch waits for more before it is scanned anyway. */
const LINGER_MS = 20;
/** Messages parsed and hashed between two turns of the event loop. */
const PREPARE_SLICE = 100;

export async function ensureContentStreams(nc: NatsConnection, names: NatsNames): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const want = [
    { name: names.stream, subjects: [names.subjects] },
    { name: names.deadStream, subjects: [names.deadSubject] },
  ];
  for (const stream of want) {
    try {
      await jsm.streams.info(stream.name);
    } catch {
      await jsm.streams.add(stream);
    }
  }
  try {
    await jsm.consumers.info(names.stream, names.durable);
  } catch {
    await jsm.consumers.add(names.stream, {
      durable_name: names.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: ACK_WAIT_MS * 1_000_000,
      max_ack_pending: 20_000,
      filter_subject: names.subjects,
    });
  }
}

export interface ContentConsumer {
  /** Messages handled (scanned, duplicate or dead-lettered) since start. */
  readonly handled: number;
  stop(): Promise<void>;
}

export async function startContentConsumer(ctx: AppContext, log: Logger = ctx.log): Promise<ContentConsumer> {
  const url = ctx.config.TAPIS_NATS_URL;
  if (!url) throw new Error('TAPIS_NATS_URL is not set');
  const names = natsNames(ctx.config);
  const nc = await connect({ servers: url, name: 'tapis-worker' });
  await ensureContentStreams(nc, names);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(names.stream, names.durable);
  let stopped = false;
  let handled = 0;

  // Stage 0: messages arrive into a bounded buffer. consume() issues its next pull only as
  // its iterator is read, so pausing here when the buffer is full stops the flow.
  const buffer: JsMsg[] = [];
  let arrived: (() => void) | null = null;
  let drained: (() => void) | null = null;
  let messages: ConsumerMessages | null = null;
  const wakeTaker = () => {
    const wake = arrived;
    arrived = null;
    wake?.();
  };
  const reader = (async () => {
    while (!stopped) {
      try {
        messages = await consumer.consume({ max_messages: BATCH, threshold_messages: BATCH / 2 });
        for await (const m of messages) {
          buffer.push(m);
          if (buffer.length >= BATCH) wakeTaker();
          else setTimeout(wakeTaker, LINGER_MS);
          while (buffer.length >= PREFETCH && !stopped)
            await new Promise<void>((resolve) => (drained = resolve));
          if (stopped) break;
        }
      } catch (error) {
        if (stopped) break;
        log.error({ err: error }, 'content stream interrupted; reconnecting');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  const take = async (): Promise<JsMsg[]> => {
    while (!stopped && buffer.length === 0)
      await new Promise<void>((resolve) => {
        arrived = resolve;
        setTimeout(resolve, 250);
      });
    const batch = buffer.splice(0, BATCH);
    const wake = drained;
    drained = null;
    wake?.();
    return batch;
  };

  // Stages 1 and 2: match the next batch while the previous one commits.
  const loop = (async () => {
    let committing: Promise<void> = Promise.resolve();
    while (!stopped) {
      const batch = await take();
      if (batch.length === 0) continue;
      let staged: Staged;
      try {
        staged = await stage(ctx, js, names, batch);
      } catch (error) {
        log.error({ err: error, messages: batch.length }, 'content batch failed; it will be redelivered');
        for (const m of batch) m.nak(1_000);
        continue;
      }
      await committing;
      committing = commit(ctx, staged).then(
        () => {
          handled += batch.length;
        },
        (error: unknown) => {
          log.error({ err: error, messages: batch.length }, 'content batch failed; it will be redelivered');
          for (const m of batch) m.nak(1_000);
          return new Promise<void>((resolve) => setTimeout(resolve, 500));
        },
      );
    }
    await committing;
  })();
  return {
    get handled() {
      return handled;
    },
    async stop() {
      stopped = true;
      wakeTaker();
      (drained as (() => void) | null)?.();
      await messages?.close();
      await loop;
      await reader;
      // What was fetched and never scanned goes back at once rather than after ACK_WAIT.
      for (const m of buffer.splice(0)) m.nak();
      await nc.drain();
    },
  };
}

interface Staged {
  messages: JsMsg[];
  plan: ScanPlan | null;
}

/** Parse, validate, hash and match a batch, and dead-letter what is malformed: all before its commit. */
async function stage(
  ctx: AppContext,
  js: JetStreamClient,
  names: NatsNames,
  messages: JsMsg[],
): Promise<Staged> {
  const good: PreparedEvent[] = [];
  const dead: { message: JsMsg; reason: string }[] = [];
  // In slices, with a turn of the event loop between them, so the commit in flight goes on.
  for (let i = 0; i < messages.length; i += PREPARE_SLICE) {
    await Promise.all(
      messages.slice(i, i + PREPARE_SLICE).map(async (message) => {
        const parsed = parseMessage(message.data);
        const prepared = parsed.ok ? await prepareEvent(parsed.value) : parsed;
        if (prepared.ok) good.push(prepared.event);
        else dead.push({ message, reason: prepared.reason });
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(
    dead.map(({ message, reason }) => {
      const h = headers();
      h.set(REASON_HEADER, reason);
      h.set('Tapis-Original-Subject', message.subject);
      return js.publish(names.deadSubject, message.data, {
        headers: h,
        msgID: `dead-${message.info.streamSequence}`,
      });
    }),
  );
  return { messages, plan: good.length > 0 ? await planScan(ctx, good, 'nats') : null };
}

async function commit(ctx: AppContext, staged: Staged): Promise<void> {
  if (staged.plan) await commitScan(ctx, staged.plan);
  // Only now, after the commit: a crash before this line redelivers the batch.
  for (const m of staged.messages) m.ack();
}
