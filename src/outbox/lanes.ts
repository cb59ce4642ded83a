import type { OutboxLane } from '../store/schema/index.ts';

/**
 * Outbox lanes (decision 0008). Enforcement — an "apply" or a "revert" of a decision — must
 * never wait behind notification: a dead webhook with thousands of due retries once held a
 * "remove" action for nineteen minutes, because the outbox claimed oldest first. Each lane
 * has its own worker (src/runtime/workers.ts), so a lane's slow deliveries never hold
 * another's, and a worker that serves several lanes claims them in this order.
 */
export const lanes: readonly OutboxLane[] = ['enforcement', 'screening', 'notification', 'bulk'];

/**
 * A topic's lane follows from its name: `enforcement.*`, `content.*` (scanning posts, which
 * can end in an automated action, so it never waits behind webhooks either), `bulk.*`; the
 * rest is notification.
 */
export function laneOf(topic: string): OutboxLane {
  if (topic.startsWith('enforcement.')) return 'enforcement';
  if (topic.startsWith('content.')) return 'screening';
  if (topic.startsWith('bulk.')) return 'bulk';
  return 'notification';
}

/** The claim order: lower first. */
export function lanePriority(lane: OutboxLane): number {
  return lanes.indexOf(lane);
}
