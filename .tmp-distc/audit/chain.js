import { canonicalDigest, canonicalJson, sha256Hex } from "../core/canonical-json.js";
/**
 * The audit log is a hash chain: each entry's hash covers its own fields and the previous
 * entry's hash, so altering, removing or reordering an entry breaks every link after it.
 * These functions are pure; src/audit/log.ts writes entries and src/audit/verify.ts reads
 * them back.
 */
export const GENESIS_HASH = '0'.repeat(64);
export function entryHash(entry) {
    return sha256Hex(canonicalJson({
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
    }));
}
export function seal(entry, prevHash) {
    const withDigest = { ...entry, change_digest: canonicalDigest(entry.change), prev_hash: prevHash };
    return { ...withDigest, hash: entryHash(withDigest) };
}
export const chainStart = { expectedSeq: 1, prevHash: GENESIS_HASH };
/**
 * Checks a page of entries (in seq order) continuing from `cursor`. Returns the first
 * fault, or the cursor to continue from.
 */
export function checkEntries(entries, cursor) {
    let { expectedSeq, prevHash } = cursor;
    for (const entry of entries) {
        if (entry.seq !== expectedSeq) {
            const detail = entry.seq > expectedSeq
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
