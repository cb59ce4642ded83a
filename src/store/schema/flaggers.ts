import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** Whether a flagger is below its precision threshold, and since when (src/flaggers/precision-review.ts). */
export interface FlaggerPrecisionStateTable {
  org_id: string;
  /** Set while the 90-day figure is below the threshold: the alert fires when it is first set. */
  below_since: NullableTimestamp;
  /** The 90-day figure when it last crossed the threshold. */
  figure: Json<Record<string, unknown>>;
  changed_at: Timestamp;
}

/** A flagger whose precision a decision changed, waiting for the due pass (src/flaggers/precision-review.ts). */
export interface FlaggerPrecisionDueTable {
  org_id: string;
  due_since: Timestamp;
}

export interface FlaggerTables {
  flagger_precision_state: FlaggerPrecisionStateTable;
  flagger_precision_due: FlaggerPrecisionDueTable;
}
