import type { Timestamp } from './foundation.ts';

/** 1000: signed checkpoints of the audit chain's head (src/audit/checkpoints.ts). */
export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  /** A compact JWS (Ed25519, the receipt key) of { seq, hash, at }. */
  signed: string;
  created_at: Timestamp;
}

export interface AuditCheckpointTables {
  audit_checkpoints: AuditCheckpointsTable;
}
