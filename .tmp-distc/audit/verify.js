import { chainStart, checkEntries } from "./chain.js";
/** Walks the whole chain in pages and names the first entry that was altered, removed or reordered. */
export async function verifyAuditChain(db, onProgress) {
    const total = Number((await db.selectFrom('audit_log').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    let cursor = chainStart;
    let checked = 0;
    let head = null;
    const pageSize = 2000;
    // Pages are read by row position rather than by seq, so a removed or renumbered entry
    // is still seen where it stands.
    for (let offset = 0;; offset += pageSize) {
        const rows = (await db
            .selectFrom('audit_log')
            .selectAll()
            .orderBy('seq')
            .offset(offset)
            .limit(pageSize)
            .execute());
        if (rows.length === 0)
            break;
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
        const last = rows[rows.length - 1];
        head = { seq: last.seq, hash: last.hash };
        onProgress?.(checked, total);
    }
    return { ok: true, checked, fault: null, head };
}
