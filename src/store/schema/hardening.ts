import type { Timestamp } from './foundation.ts';

/** 0700: an endpoint's circuit breaker. No row: closed (healthy). */
export interface OutboxEndpointsTable {
  endpoint: string;
  /** Consecutive failed attempts; the open time grows with it. */
  failures: number;
  /** Until then no message to this endpoint is claimed; after it, one probe at a time. */
  open_until: Timestamp;
  last_error: string | null;
  updated_at: Timestamp;
}

export interface HardeningTables {
  outbox_endpoints: OutboxEndpointsTable;
}
