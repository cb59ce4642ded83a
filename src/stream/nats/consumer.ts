import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { AppContext } from '../../runtime/context.ts';
import { scanBatch } from '../../scanning/scan-batch.ts';
import { type PreparedEvent, parseMessage, prepareEvent } from '../prepare.ts';
import { type NatsNames, natsNames, REASON_HEADER } from './subjects.ts';

/**
 * The JetStream way in: a durable pull consumer on TAPIS_CONTENT, shared by every worker
 * (each message goes to one of them). A worker fetches a batch, scans it in one transaction
 * (src/scanning/scan-batch.ts) and acknowledges the messages only after that commit, so a
 * worker killed mid-batch leaves its messages unacknowledged and JetStream redelivers them
 * to another after ACK_WAIT; a batch committed but not acknowledged is recognised on
 * redelivery (same platform, id and revision) and acknowledged without a second effect. A
 * malformed message is republished on the dead-letter subject with its reason, then
 * acknowledged: never dropped silently, never retried forever.
 */
export const ACK_WAIT_MS = 10_000;
const BATCH = 500;

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
  const loop = (async () => {
    while (!stopped) {
      let messages: JsMsg[] = [];
      try {
        const batch = await consumer.fetch({ max_messages: BATCH, expires: 1_000 });
        for await (const m of batch) messages.push(m);
        if (messages.length === 0) continue;
        await handleBatch(ctx, js, names, messages);
        handled += messages.length;
      } catch (error) {
        if (stopped) break;
        log.error({ err: error, messages: messages.length }, 'content batch failed; it will be redelivered');
        for (const m of messages) m.nak(1_000);
        messages = [];
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    get handled() {
      return handled;
    },
    async stop() {
      stopped = true;
      await loop;
      await nc.drain();
    },
  };
}

async function handleBatch(
  ctx: AppContext,
  js: JetStreamClient,
  names: NatsNames,
  messages: JsMsg[],
): Promise<void> {
  const good: { message: JsMsg; event: PreparedEvent }[] = [];
  const dead: { message: JsMsg; reason: string }[] = [];
  await Promise.all(
    messages.map(async (message) => {
      const parsed = parseMessage(message.data);
      const prepared = parsed.ok ? await prepareEvent(parsed.value) : parsed;
      if (prepared.ok) good.push({ message, event: prepared.event });
      else dead.push({ message, reason: prepared.reason });
    }),
  );
  for (const { message, reason } of dead) {
    const h = headers();
    h.set(REASON_HEADER, reason);
    h.set('Tapis-Original-Subject', message.subject);
    await js.publish(names.deadSubject, message.data, {
      headers: h,
      msgID: `dead-${message.info.streamSequence}`,
    });
  }
  if (good.length > 0)
    await scanBatch(
      ctx,
      good.map((g) => g.event),
      'nats',
    );
  // Only now, after the commit: a crash before this line redelivers the batch.
  for (const m of messages) m.ack();
}
