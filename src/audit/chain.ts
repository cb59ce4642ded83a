import { canonicalDigest, canonicalJson, sha256Hex } from '../core/canonical-json.ts';

/**
 * The audit log is a hash chain: each entry's hash covers its own fields and the previous
 * entry's hash, so altering, removing or reordering an entry breaks every link after it.
 * These functions are pure; src/audit/log.ts writes entries and src/audit/verify.ts reads
 * them back.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: Date;
  actor_type: 'user' | 'key' | 'system';
  actor_id: string | null;
  actor_org_id: string | null;
  action: string;
  object_type: string;
  object_id: string;
  change: unknown;
  change_digest: string;
  prev_hash: string;
  hash: string;
}

export type UnsealedEntry = Omit<AuditEntry, 'change_digest' | 'prev_hash' | 'hash'>;

export function entryHash(entry: Omit<AuditEntry, 'hash' | 'change'>): string {
  return sha256Hex(
    canonicalJson({
      seq: entry.seq,
      at: entry.at.toISOString(),
      actor_type: entry.actor_type,
      actor_id: entry.actor_id,
      actor_org_id: entry.actor_org_id,
      action: entry.action,
      object_type: entry.object_type,
      object_id: entry.object_id,
      change_digest: entry.change_digest,
      prev_hash: entry.prev_hash,
    }),
  );
}

export function seal(entry: UnsealedEntry, prevHash: string): AuditEntry {
  const withDigest = { ...entry, change_digest: canonicalDigest(entry.change), prev_hash: prevHash };
  return { ...withDigest, hash: entryHash(withDigest) };
}

export type ChainFault =
  | { seq: number; problem: 'missing'; detail: string }
  | { seq: number; problem: 'altered'; detail: string }
  | { seq: number; problem: 'broken_link'; detail: string };

/** Where a walk of the chain stands between pages. */
export interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
}

export const chainStart: ChainCursor = { expectedSeq: 1, prevHash: GENESIS_HASH };

/**
 * Checks a page of entries (in seq order) continuing from `cursor`. Returns the first
 * fault, or the cursor to continue from.
 */
export function checkEntries(
  entries: readonly AuditEntry[],
  cursor: ChainCursor,
): { fault: ChainFault } | { cursor: ChainCursor } {
  let { expectedSeq, prevHash } = cursor;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      const detail =
        entry.seq > expectedSeq
          ? `entries ${expectedSeq}–${entry.seq - 1} are missing (removed)`
          : `entry ${entry.seq} appears out of order after ${expectedSeq - 1}`;
      return { fault: { seq: expectedSeq, problem: 'missing', detail } };
    }
    if (canonicalDigest(entry.change) !== entry.change_digest) {
      return {
        fault: {
          seq: entry.seq,
          problem: 'altered',
          detail: `entry ${entry.seq}: its change does not match its digest`,
        },
      };
    }
    if (entry.prev_hash !== prevHash) {
      return {
        fault: {
          seq: entry.seq,
          problem: 'broken_link',
          detail: `entry ${entry.seq}: it does not link to entry ${entry.seq - 1} (removed, reordered or altered)`,
        },
      };
    }
    if (entryHash(entry) !== entry.hash) {
      return {
        fault: {
          seq: entry.seq,
          problem: 'altered',
          detail: `entry ${entry.seq}: its fields do not match its hash`,
        },
      };
    }
    expectedSeq += 1;
    prevHash = entry.hash;
  }
  return { cursor: { expectedSeq, prevHash } };
}
