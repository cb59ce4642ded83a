import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Fewer index writes per scanned post (decision 0020, `npm run bench:stream`). A post writes
 * one content event and a content-index row per hash; each btree on those tables is one more
 * insert, page and WAL record on the scanner's hot path.
 *
 * - `content_events_post (platform, post_id, posted_at)` is dropped: every lookup by post
 *   (the forward graph, redeliveries) is served by the unique (platform, post_id, revision).
 * - `content_hashes_expiry` becomes a BRIN index: rows arrive in the order they expire
 *   (received + TAPIS_CONTENT_RETENTION_DAYS), so block ranges summarise them, and the
 *   retention purge (src/scanning/retention.ts) still finds what expired without a scan of
 *   the whole table, while an insert no longer descends a btree. Once purged space is reused
 *   the ranges widen (a block then holds old and new expiries, and a summary never shrinks
 *   until the range is summarised again by VACUUM): the purge then reads more blocks than it
 *   deletes from, which it can afford once an hour.
 */
const statements = [
  `drop index content_events_post`,
  `drop index content_hashes_expiry`,
  `create index content_hashes_expiry on content_hashes using brin (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop index content_hashes_expiry`,
    `create index content_hashes_expiry on content_hashes(expires_at)`,
    `create index content_events_post on content_events(platform, post_id, posted_at)`,
  ]);
}
