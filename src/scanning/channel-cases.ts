import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import type { Db } from '../store/db.ts';
import { scannerActor } from './automated-decision.ts';
import type { DetectedPost, DetectionSetting } from './detections.ts';
import { upsertDetectionCase } from './detections.ts';

/**
 * A channel whose posts match the banks again and again is itself a case: at the SOP
 * policy's `channel_case_threshold` matched posts, a channel-level case opens (or the
 * channel's open case is joined), with the matched posts as its evidence. One open channel
 * case at a time: once it is decided, further matches count towards the next one.
 */
export async function openChannelCaseIfRepeated(
  trx: Db,
  post: DetectedPost,
  setting: DetectionSetting,
  now: Date,
): Promise<string | null> {
  const open = await trx
    .selectFrom('channel_cases')
    .innerJoin('cases', 'cases.id', 'channel_cases.case_id')
    .select('cases.id')
    .where('channel_cases.platform', '=', post.platform)
    .where('channel_cases.channel', '=', post.channel)
    .where('cases.status', '<>', 'closed')
    .executeTakeFirst();
  if (open) return open.id;
  const counted = await trx
    .selectFrom('detections')
    .select((eb) => eb.fn.count<number>('post_id').distinct().as('posts'))
    .where('platform', '=', post.platform)
    .where('channel', '=', post.channel)
    .where('kind', '=', 'bank')
    .executeTakeFirstOrThrow();
  const posts = Number(counted.posts);
  if (posts < setting.policy.channel_case_threshold) return null;
  const upserted = await upsertDetectionCase(trx, post.channel_subject, 1, setting, [], now);
  const current = await lockCase(trx, upserted.id);
  await recordCaseEvent(
    trx,
    current,
    scannerActor,
    {
      type: upserted.inserted ? 'opened' : 'detected',
      data: {
        source: 'automated_detection',
        channel_level: true,
        channel: post.channel,
        matched_posts: posts,
        threshold: setting.policy.channel_case_threshold,
      },
    },
    now,
  );
  await trx
    .insertInto('channel_cases')
    .values({ platform: post.platform, channel: post.channel, case_id: upserted.id, opened_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return upserted.id;
}
