import { sql } from 'kysely';
/**
 * Blobs are content-addressed: one row per SHA-256, shared by every evidence or preserved
 * content row with those bytes. Purging a row removes the bytes only when no other row
 * that is not yet purged still needs them; the blob's hash and size stay.
 *
 * The blobs are locked (in hash order, so two purgers never deadlock) before the check:
 * a purger that purged the other row of a shared blob in parallel commits first, and this
 * check, in a statement of its own, then sees it.
 */
export async function releaseBlobs(trx, sha256s) {
    const shas = [...new Set(sha256s)].sort();
    if (shas.length === 0)
        return [];
    await trx
        .selectFrom('blobs')
        .select('sha256')
        .where('sha256', 'in', shas)
        .orderBy('sha256')
        .forUpdate()
        .execute();
    const released = await trx
        .updateTable('blobs')
        .set({ data: null })
        .where('sha256', 'in', shas)
        .where('data', 'is not', null)
        .where((eb) => eb.and([
        eb.not(eb.exists(eb
            .selectFrom('evidence')
            .select(sql `1`.as('one'))
            .whereRef('evidence.sha256', '=', 'blobs.sha256')
            .where('evidence.purged_at', 'is', null))),
        eb.not(eb.exists(eb
            .selectFrom('preserved_content')
            .select(sql `1`.as('one'))
            .whereRef('preserved_content.sha256', '=', 'blobs.sha256')
            .where('preserved_content.purged_at', 'is', null))),
    ]))
        .returning('sha256')
        .execute();
    return released.map((r) => r.sha256).sort();
}
/**
 * Stores bytes under their hash. Bytes purged earlier are put back when the same content
 * arrives again; the upsert also locks the blob row, so a purge running at the same time
 * waits for this transaction and then sees the row that needs the bytes.
 */
export async function storeBlob(trx, sha256, data) {
    await trx
        .insertInto('blobs')
        .values({ sha256, size: data.length, data })
        .onConflict((oc) => oc
        .column('sha256')
        .doUpdateSet({ data: (eb) => eb.ref('excluded.data') })
        .where('blobs.data', 'is', null))
        .execute();
}
