import { sql } from 'kysely';
import { notFound } from '../core/errors.ts';
import type { Db } from '../store/db.ts';

/**
 * Where an item came from and where it went: for a case, the posts that carry the same
 * item (the case's own posts, every post with an exact hash in common, every post matched
 * to the same bank entry, and the posts they forwarded or were forwarded from), each with
 * its channel and time. The origin is the first channel seen posting it.
 */
export interface GraphPost {
  platform: string;
  id: string;
  channel: string;
  posted_at: Date;
  forwarded_from: { channel: string; id: string } | null;
}

const LIMIT = 5_000;

export async function caseDetections(db: Db, caseId: string) {
  const found = await db
    .selectFrom('cases')
    .select(['id', 'subject_key'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!found) throw notFound(`no case ${caseId}`);
  const channelCase = await db
    .selectFrom('channel_cases')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const detections = await db
    .selectFrom('detections')
    .leftJoin('banks', 'banks.id', 'detections.bank_id')
    .select([
      'detections.platform',
      'detections.post_id',
      'detections.channel',
      'detections.kind',
      'banks.name as bank',
      'detections.entry_id',
      'detections.signal_type',
      'detections.distance',
      'detections.score',
      'detections.provenance',
      'detections.via',
      'detections.incident_id',
      'detections.detected_at',
    ])
    .where((eb) =>
      channelCase
        ? eb.and([
            eb('detections.platform', '=', channelCase.platform),
            eb('detections.channel', '=', channelCase.channel),
            eb('detections.kind', '=', 'bank'),
          ])
        : eb('detections.case_id', '=', caseId),
    )
    .orderBy('detections.detected_at')
    .limit(LIMIT)
    .execute();
  const graph = channelCase ? null : await forwardGraph(db, caseId);
  return {
    case_id: caseId,
    channel_level: channelCase ? { platform: channelCase.platform, channel: channelCase.channel } : null,
    detections,
    ...(graph ?? { origin: null, reposts: [] }),
  };
}

export async function forwardGraph(
  db: Db,
  caseId: string,
): Promise<{ origin: GraphPost | null; reposts: GraphPost[] }> {
  const own = await db
    .selectFrom('detections')
    .select(['platform', 'post_id', 'entry_id'])
    .where('case_id', '=', caseId)
    .execute();
  if (own.length === 0) return { origin: null, reposts: [] };
  const platform = own[0]!.platform;
  const seeds = [...new Set(own.map((d) => d.post_id))];
  const entries = [...new Set(own.flatMap((d) => (d.entry_id ? [d.entry_id] : [])))];
  const related = await sql<{ post_id: string }>`
    select distinct h2.post_id from content_hashes h1
      join content_hashes h2 on h2.signal_type = h1.signal_type and h2.value = h1.value and h2.platform = h1.platform
      where h1.platform = ${platform} and h1.post_id = any(${seeds}::text[]) and h1.signal_type <> 'text_sha256'
    union
    select distinct post_id from detections where platform = ${platform} and entry_id = any(${entries}::uuid[])
    limit ${LIMIT}`.execute(db);
  const posts = new Set([...seeds, ...related.rows.map((r) => r.post_id)]);
  const rows = await db
    .selectFrom('content_events')
    .select(['post_id', 'channel', 'posted_at', 'forwarded_from_channel', 'forwarded_from_id'])
    .where('platform', '=', platform)
    .where((eb) =>
      eb.or([
        eb('post_id', '=', sql<string>`any(${[...posts]}::text[])`),
        eb('forwarded_from_id', '=', sql<string>`any(${[...posts]}::text[])`),
      ]),
    )
    .orderBy('posted_at')
    .limit(LIMIT)
    .execute();
  const byPost = new Map<string, GraphPost>();
  for (const r of rows) {
    if (byPost.has(r.post_id)) continue;
    byPost.set(r.post_id, {
      platform,
      id: r.post_id,
      channel: r.channel,
      posted_at: r.posted_at,
      forwarded_from:
        r.forwarded_from_channel && r.forwarded_from_id
          ? { channel: r.forwarded_from_channel, id: r.forwarded_from_id }
          : null,
    });
  }
  const ordered = [...byPost.values()].sort((a, b) => a.posted_at.getTime() - b.posted_at.getTime());
  return { origin: ordered[0] ?? null, reposts: ordered.slice(1) };
}
