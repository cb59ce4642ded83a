import type { Db } from '../store/db.ts';
import { type ChannelView, channelView, type MessageView, messageView, type PlatformAction } from './view.ts';
import { type DemoChannel, demoChannels, demoMessageUrl } from './world.ts';

/** The demo platform's tables: its world, and what it shows of it. */

/** A channel by username, or by its id in either form (`<digits>` or `-100<digits>`). */
export async function findChannel(db: Db, nameOrId: string) {
  const key = nameOrId.replace(/^@/, '').toLowerCase();
  if (!key) return undefined;
  const chatId = key.replace(/^-100/, '');
  return db
    .selectFrom('demo_channels')
    .selectAll()
    .where((eb) => eb.or([eb('username', '=', key), eb('chat_id', '=', chatId)]))
    .executeTakeFirst();
}

/** Fills the world once (the demo seed calls it in its transaction); a second call adds nothing. */
export async function seedDemoPlatform(trx: Db, now: Date, channels: DemoChannel[] = demoChannels) {
  const HOUR = 3_600_000;
  for (const channel of channels) {
    const { messages, ...fields } = channel;
    const created = await trx
      .insertInto('demo_channels')
      .values({ ...fields, created_at: new Date(now.getTime() - 30 * 24 * HOUR) })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('username')
      .executeTakeFirst();
    if (!created) continue;
    await trx
      .insertInto('demo_messages')
      .values(
        messages.map((m, index) => ({
          channel: channel.username,
          message_id: index + 1,
          author: m.author,
          text: m.text,
          posted_at: new Date(now.getTime() - m.hours_ago * HOUR),
        })),
      )
      .execute();
  }
}

async function actionsOf(db: Db, channel?: string): Promise<(PlatformAction & { channel: string })[]> {
  let query = db.selectFrom('demo_platform_actions').selectAll().orderBy('applied_at');
  if (channel) query = query.where('channel', '=', channel);
  return query.execute();
}

export interface ChannelListing extends ChannelView {
  username: string;
  url: string;
  title: string;
  description: string;
  messages: number;
  messages_hidden: number;
}

export async function listChannels(db: Db, now: Date): Promise<ChannelListing[]> {
  const [channels, messages, actions] = await Promise.all([
    db.selectFrom('demo_channels').selectAll().orderBy('username').execute(),
    db.selectFrom('demo_messages').select(['channel', 'message_id']).execute(),
    actionsOf(db),
  ]);
  return channels.map((c) => {
    const own = actions.filter((a) => a.channel === c.username);
    const view = channelView(own, now);
    const mine = messages.filter((m) => m.channel === c.username);
    return {
      username: c.username,
      url: `https://t.me/${c.username}`,
      title: c.title,
      description: c.description,
      ...view,
      messages: mine.length,
      messages_hidden: mine.filter(
        (m) =>
          messageView(
            own.filter((a) => a.message_id === m.message_id),
            view,
            now,
          ).hidden,
      ).length,
    };
  });
}

export interface MessageListing extends MessageView {
  message_id: number;
  url: string;
  author: string;
  posted_at: Date;
  text: string;
  /** Statements of reasons the platform delivered to the channel's owner about this message. */
  statements: string[];
  actions: {
    action_id: string;
    type: string;
    applied_at: Date;
    reverted_at: Date | null;
    until: Date | null;
  }[];
}

export async function channelMessages(
  db: Db,
  name: string,
  now: Date,
): Promise<{ channel: ChannelListing; messages: MessageListing[] } | undefined> {
  const found = await findChannel(db, name);
  if (!found) return undefined;
  const [channel] = (await listChannels(db, now)).filter((c) => c.username === found.username);
  const [messages, actions] = await Promise.all([
    db
      .selectFrom('demo_messages')
      .selectAll()
      .where('channel', '=', found.username)
      .orderBy('message_id')
      .execute(),
    actionsOf(db, found.username),
  ]);
  return {
    channel: channel!,
    messages: messages.map((m) => {
      const own = actions.filter((a) => a.message_id === m.message_id);
      const effects = own.filter((a) => a.type !== 'deliver_statement' && a.type !== 'deliver_warning');
      return {
        message_id: m.message_id,
        url: demoMessageUrl(m.channel, m.message_id),
        author: m.author,
        posted_at: m.posted_at,
        text: m.text,
        ...messageView(effects, channel!, now),
        statements: own.filter((a) => a.statement_url).map((a) => a.statement_url!),
        actions: effects.map((a) => ({
          action_id: a.action_id,
          type: a.type,
          applied_at: a.applied_at,
          reverted_at: a.reverted_at,
          until: a.until,
        })),
      };
    }),
  };
}
