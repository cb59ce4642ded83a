import { z } from 'zod';
import { canonicalDigest } from '../core/canonical-json.ts';
import { toPointer } from '../core/errors.ts';

/**
 * A content event: one shape for the API, the stream and files (docs/decisions/0012).
 * The platform tells tapis a post was created, edited or deleted; tapis scans it.
 *
 * `revision` is optional: without it, the revision is a digest of what the event says about
 * the post (its type, text and media), so the same event sent twice, by any way in, is the
 * same revision and is scanned once; an edit that changes the text is a new revision.
 */
export const MAX_BATCH = 1000;
/** Media sent as bytes: at most 8 MiB once decoded (a larger file is hashed by the platform). */
export const MAX_MEDIA_BYTES = 8 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_MEDIA_BYTES / 3) * 4;

const hex = (digits: number, what: string) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `${what}: ${digits} hexadecimal digits`);

export const mediaSchema = z.union([
  z.strictObject({ pdq: hex(64, 'a PDQ hash'), quality: z.number().int().min(0).max(100).optional() }),
  z.strictObject({ sha256: hex(64, 'a SHA-256 digest') }),
  z.strictObject({ md5: hex(32, 'an MD5 digest') }),
  z.strictObject({
    base64: z
      .string()
      .max(
        MAX_BASE64_CHARS,
        `at most ${MAX_MEDIA_BYTES / 1024 / 1024} MiB of media per item; send its hashes instead`,
      )
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
    mime: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'a media type such as image/jpeg'),
  }),
]);

const name = z.string().min(1).max(200);

export const contentEventSchema = z.strictObject({
  type: z.enum(['post_created', 'post_edited', 'post_deleted']),
  platform: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/, 'a platform name in lower case, e.g. telegram'),
  id: z.string().min(1).max(100),
  channel: name,
  author: name.nullable().optional(),
  text: z.string().max(100_000).nullable().optional(),
  media: z.array(mediaSchema).max(20).default([]),
  forwarded_from: z
    .strictObject({ channel: name, id: z.string().min(1).max(100) })
    .nullable()
    .optional(),
  posted_at: z.iso.datetime({ offset: true }),
  revision: z.union([z.string().min(1).max(100), z.number().int().min(0)]).optional(),
});

export type ContentEvent = z.infer<typeof contentEventSchema>;
export type MediaItem = z.infer<typeof mediaSchema>;

export type EventCheck = { ok: true; event: ContentEvent } | { ok: false; reason: string };

/** Validates one event; the reason names the first wrong field, as the API's problems do. */
export function checkEvent(value: unknown): EventCheck {
  const parsed = contentEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = toPointer(issue.path).slice(1).replaceAll('/', '.') || 'event';
  const message =
    issue.code === 'invalid_union' && issue.path[0] === 'media'
      ? 'one of {"pdq"}, {"sha256"}, {"md5"} or {"base64", "mime"}, correctly formed'
      : issue.message;
  return { ok: false, reason: `${where}: ${message}` };
}

/** What makes two deliveries the same event: platform + id + revision. */
export function revisionOf(event: ContentEvent): string {
  if (event.revision !== undefined) return String(event.revision);
  return canonicalDigest({ type: event.type, text: event.text ?? null, media: event.media }).slice(0, 32);
}

export function eventKey(event: { platform: string; id: string }, revision: string): string {
  return `${event.platform}\u0000${event.id}\u0000${revision}`;
}
