import { parseTarget, type Subject } from '../notices/targets.ts';
import { hashMediaBytes } from '../screening/media-hashes.ts';
import { type ContentEvent, checkEvent, revisionOf } from './content-event.ts';

/**
 * An event made ready to scan: validated, its revision fixed, and its media reduced to
 * hashes (PDQ with its 8 dihedral variants, MD5, SHA-256). What the queue and the stream
 * carry onward is this, never the media's bytes.
 */
export interface PreparedMedia {
  /** The image's PDQ first, then the other dihedral variants (rotations and mirrors). */
  pdq: string[];
  quality: number | null;
  md5: string | null;
  sha256: string | null;
}

export interface PreparedEvent {
  type: ContentEvent['type'];
  platform: string;
  /** The platform's id for the post, as sent. */
  id: string;
  /** The post's key in tapis (postKey): a Telegram message id is unique only in its chat. */
  post_id: string;
  revision: string;
  channel: string;
  author: string | null;
  text: string | null;
  media: PreparedMedia[];
  forwarded_from: { channel: string; id: string } | null;
  posted_at: string;
  subject: Subject;
  channel_subject: Subject;
}

export type Prepared = { ok: true; event: PreparedEvent } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line of a file or one stream message: UTF-8, then JSON. */
export function parseMessage(
  data: Uint8Array | string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = typeof data === 'string' ? data : utf8.decode(data);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Telegram numbers messages per chat, so its posts are keyed `channel/id`; other platforms' ids stand alone. */
export function postKey(platform: string, channel: string, id: string): string {
  return platform === 'telegram' ? `${channel.replace(/^@/, '').toLowerCase()}/${id}` : id;
}

/** The platform's id back from a post key. */
export function postIdOf(platform: string, key: string): string {
  return platform === 'telegram' ? key.slice(key.lastIndexOf('/') + 1) : key;
}

const TELEGRAM_USERNAME = /^@?[a-zA-Z][a-zA-Z0-9_]{3,31}$/;

/** The case subject of a post and of its channel: for Telegram, exactly what a notice naming its t.me link gets. */
export function subjectsOf(
  platform: string,
  channel: string,
  id: string,
): { post: Subject; channel: Subject } | { reason: string } {
  if (platform === 'telegram') {
    const path = TELEGRAM_USERNAME.test(channel)
      ? channel.replace(/^@/, '')
      : /^\d{1,12}$/.test(channel)
        ? `c/${channel}`
        : null;
    if (path === null)
      return { reason: 'channel: a Telegram username (5–32 letters, digits or _) or a channel id' };
    const known = channelOf(path);
    if ('reason' in known) return known;
    const post = postSubjectOf(path, id, known);
    if ('reason' in post) return post;
    return { post, channel: known.channel };
  }
  const generic = (kind: 'message' | 'channel', key: string) =>
    ({ platform, kind, key, url: '' }) as unknown as Subject;
  return {
    post: generic('message', `${platform}:message:${channel}/${id}`),
    channel: generic('channel', `${platform}:channel:${channel}`),
  };
}

/**
 * A stream carries many posts per channel: the channel's subject, and the subject of a
 * message in it, are parsed once and kept (a bounded memo, emptied when full), so a post's
 * subject is its channel's message subject with the post's id in it.
 */
interface KnownChannel {
  channel: Readonly<Subject>;
  /** What parseTarget gives for t.me/<path>/1. */
  firstMessage: Readonly<Subject>;
}
const channels = new Map<string, KnownChannel | { reason: string }>();
const CHANNEL_MEMO = 10_000;
/** Ids a message link may carry, written as parseTarget would keep them (no leading zero). */
const PLAIN_MESSAGE_ID = /^[1-9]\d{0,8}$/;

function channelOf(path: string): KnownChannel | { reason: string } {
  let known = channels.get(path);
  if (known === undefined) {
    const chat = parseTarget(`https://t.me/${path}`, 'channel');
    const first = parseTarget(`https://t.me/${path}/1`);
    known = !chat.ok
      ? { reason: `channel: ${chat.reason}` }
      : !first.ok
        ? { reason: `channel: ${first.reason}` }
        : { channel: Object.freeze(chat.subject), firstMessage: Object.freeze(first.subject) };
    if (channels.size >= CHANNEL_MEMO) channels.clear();
    channels.set(path, known);
  }
  return known;
}

/** The subject of message `id` in the channel at `path`: exactly parseTarget's for t.me/<path>/<id>. */
export function postSubjectOf(path: string, id: string, known: KnownChannel): Subject | { reason: string } {
  const first = known.firstMessage as Subject & { key: string; url: string };
  if (PLAIN_MESSAGE_ID.test(id) && first.key.endsWith('/1') && first.url.endsWith('/1')) {
    return {
      ...first,
      message_id: Number(id),
      key: `${first.key.slice(0, -1)}${id}`,
      url: `${first.url.slice(0, -1)}${id}`,
    } as Subject;
  }
  // Anything else (leading zeros, ids past nine digits, not a number) takes the full parse.
  const post = parseTarget(`https://t.me/${path}/${id}`);
  return post.ok ? post.subject : { reason: `id: ${post.reason}` };
}

export async function prepareEvent(value: unknown): Promise<Prepared> {
  const check = checkEvent(value);
  if (!check.ok) return check;
  const event = check.event;
  const subjects = subjectsOf(event.platform, event.channel, event.id);
  if ('reason' in subjects) return { ok: false, reason: subjects.reason };
  const media: PreparedMedia[] = [];
  for (const [index, item] of event.media.entries()) {
    if ('pdq' in item)
      media.push({ pdq: [item.pdq.toLowerCase()], quality: item.quality ?? null, md5: null, sha256: null });
    else if ('sha256' in item)
      media.push({ pdq: [], quality: null, md5: null, sha256: item.sha256.toLowerCase() });
    else if ('md5' in item) media.push({ pdq: [], quality: null, md5: item.md5.toLowerCase(), sha256: null });
    else {
      const bytes = Buffer.from(item.base64, 'base64');
      if (bytes.length === 0) return { ok: false, reason: `media.${index}.base64: empty` };
      const isImage = item.mime.toLowerCase().startsWith('image/');
      const hashes = await hashMediaBytes(bytes, { dihedral: isImage });
      if (isImage && hashes.pdq === null) {
        return {
          ok: false,
          reason: `media.${index}: ${hashes.pdqError ?? 'not an image that can be decoded'}`,
        };
      }
      media.push({
        pdq: hashes.pdqDihedral ? [...hashes.pdqDihedral] : [],
        quality: hashes.quality,
        md5: hashes.md5,
        sha256: hashes.sha256,
      });
    }
  }
  return {
    ok: true,
    event: {
      type: event.type,
      platform: event.platform,
      id: event.id,
      post_id: postKey(event.platform, event.channel, event.id),
      revision: revisionOf(event),
      channel: event.channel,
      author: event.author ?? null,
      text: event.text ?? null,
      media,
      forwarded_from: event.forwarded_from
        ? {
            channel: event.forwarded_from.channel,
            id: postKey(event.platform, event.forwarded_from.channel, event.forwarded_from.id),
          }
        : null,
      posted_at: new Date(event.posted_at).toISOString(),
      subject: subjects.post,
      channel_subject: subjects.channel,
    },
  };
}
