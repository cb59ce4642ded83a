import type { Db } from '../store/db.ts';
import { type AuditEntry, type ChainFault, chainStart, checkEntries } from './chain.ts';
import { checkpointFault } from './checkpoints.ts';

export interface VerifyOutcome {
  ok: boolean;
  checked: number;
  fault: ChainFault | null;
  head: { seq: number; hash: string } | null;
}

/**
 * Walks the whole chain in pages and names the first entry that was altered, removed or
 * reordered; then checks that the chain still holds every signed checkpoint of its head
 * (src/audit/checkpoints.ts) and each anchor given, so that removing its newest entries shows.
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
  anchors: readonly { seq: number; hash: string }[] = [],
): Promise<VerifyOutcome> {
  const total = Number(
    (await db.selectFrom('audit_log').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  let cursor = chainStart;
  let checked = 0;
  let head: VerifyOutcome['head'] = null;
  const pageSize = 2000;
  // Pages are read by row position rather than by seq, so a removed or renumbered entry
  // is still seen where it stands.
  for (let offset = 0; ; offset += pageSize) {
    const rows = (await db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq')
      .offset(offset)
      .limit(pageSize)
      .execute()) as AuditEntry[];
    if (rows.length === 0) break;
    const result = checkEntries(rows, cursor);
    if ('fault' in result)
      return {
        ok: false,
        checked: checked + rows.findIndex((r) => r.seq >= result.fault.seq),
        fault: result.fault,
        head,
      };
    cursor = result.cursor;
    checked += rows.length;
    const last = rows[rows.length - 1]!;
    head = { seq: last.seq, hash: last.hash };
    onProgress?.(checked, total);
  }
  const truncated = await checkpointFault(db, anchors);
  if (truncated) return { ok: false, checked, fault: truncated, head };
  return { ok: true, checked, fault: null, head };
}
