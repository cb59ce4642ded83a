import { runStatements } from "./run-statements.js";
/**
 * Preservation and reviewer welfare, on the tables 0200 created:
 * - preserved content is stored like evidence (content-addressed in `blobs`), so it carries
 *   the file's name, type, size, MD5 and the screening hashes (PDQ, normalised-text hash,
 *   SimHash) that outlive the bytes when they are purged; text goes to `blobs` too, so
 *   `text_content` is dropped (one storage path, one purge path);
 * - a released legal hold says who released it and why;
 * - a reveal says what type of content was shown and whether it counts as exposure;
 * - indexes for the purge job (due rows, rows still needing a blob) and the workload view.
 */
const statements = [
    `alter table preserved_content
     add column filename text,
     add column content_type text,
     add column size integer,
     add column md5 text,
     add column hashes jsonb not null default '{}',
     add column deposited_by text,
     drop column text_content`,
    `create index preserved_content_case on preserved_content(case_id, created_at)`,
    `create index preserved_content_blob on preserved_content(sha256) where purged_at is null`,
    `create index evidence_due on evidence(preserved_until) where purged_at is null`,
    `create index evidence_blob on evidence(sha256) where purged_at is null`,
    `alter table legal_holds
     add column released_by text,
     add column release_reason text`,
    `alter table reveals
     add column content_type text,
     add column counted boolean not null default true`,
    `create index case_events_actor on case_events(actor_id, at)`,
    `create index decisions_decided_by on decisions(decided_by, created_at)`,
];
export async function up(db) {
    await runStatements(db, statements);
}
export async function down(db) {
    await runStatements(db, [
        'drop index decisions_decided_by, case_events_actor, evidence_blob, evidence_due, preserved_content_blob, preserved_content_case',
        'alter table reveals drop column content_type, drop column counted',
        'alter table legal_holds drop column released_by, drop column release_reason',
        `alter table preserved_content
       drop column filename, drop column content_type, drop column size, drop column md5,
       drop column hashes, drop column deposited_by, add column text_content text`,
    ]);
}
