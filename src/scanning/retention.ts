import type { Db } from '../store/db.ts';

/**
 * The content index keeps a post's hashes TAPIS_CONTENT_RETENTION_DAYS (90 by default):
 * long enough to sweep the reposts of an item banked weeks later, no longer than needed.
 * Expired rows are deleted in slices, so a purge never holds a long lock.
 */
export async function purgeExpiredContentHashes(db: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('content_hashes')
      .where('seq', 'in', (eb) =>
        eb.selectFrom('content_hashes').select('seq').where('expires_at', '<=', now).limit(10_000),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    total += n;
    if (n < 10_000) return total;
  }
}
