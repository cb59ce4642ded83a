import { z } from 'zod';
import { notFound } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { timestamp } from '../http/schemas.ts';
import { channelMessages, listChannels } from './store.ts';

const channelView = z.object({
  username: z.string(),
  url: z.string(),
  title: z.string(),
  description: z.string(),
  suspended: z.boolean(),
  suspended_until: timestamp.nullable(),
  restricted_in: z.array(z.string()),
  labels: z.array(z.string()),
  messages: z.number().int(),
  messages_hidden: z.number().int(),
});

const messageView = z.object({
  message_id: z.number().int(),
  url: z.string(),
  author: z.string(),
  posted_at: timestamp,
  text: z.string(),
  state: z
    .enum(['visible', 'hidden', 'channel_suspended', 'restricted', 'labelled'])
    .describe(
      'What a viewer sees: hidden (removed), the channel suspended, restricted in some countries, labelled, or visible',
    ),
  hidden: z.boolean(),
  restricted_in: z.array(z.string()),
  labels: z.array(z.string()),
  channel_suspended: z.boolean(),
  statements: z
    .array(z.string())
    .describe('Statements of reasons the platform delivered to the channel’s owner about this message'),
  actions: z.array(
    z.object({
      action_id: z.string(),
      type: z.string(),
      applied_at: timestamp,
      reverted_at: timestamp.nullable(),
      until: timestamp.nullable(),
    }),
  ),
});

/**
 * The demo platform, as its users see it. Public, like the public channels it simulates, and
 * there only in demo mode: its content is synthetic, and the statement links it shows are the
 * ones the simulated platform delivered to the (fictional) channel owners.
 */
export const demoPlatformRoutes: RouteModule = async (app, { ctx }) => {
  const enabled = () => {
    if (!ctx.connectors.demo_platform)
      throw notFound('the demo platform runs only in demo mode (TAPIS_DEMO=true, as `npm start` sets it)');
  };

  app.get(
    '/v1/demo-platform/channels',
    {
      config: { access: 'public' },
      schema: {
        tags: ['demo platform'],
        summary:
          'The simulated Telegram of demo mode: its channels, whether each is suspended, restricted or labelled, and how many of its messages are hidden',
        response: { 200: z.object({ items: z.array(channelView) }) },
      },
    },
    async () => {
      enabled();
      return { items: await listChannels(ctx.db, ctx.clock()) };
    },
  );

  app.get(
    '/v1/demo-platform/channels/:name/messages',
    {
      config: { access: 'public' },
      schema: {
        tags: ['demo platform'],
        summary:
          'A demo channel’s messages and what the platform shows of each: visible, hidden, restricted in some countries, channel suspended, labelled',
        params: z.strictObject({
          name: z.string().regex(/^@?[A-Za-z0-9_]{1,64}$/, 'a channel username, e.g. serambi_demo'),
        }),
        response: { 200: z.object({ channel: channelView, items: z.array(messageView) }) },
      },
    },
    async (request) => {
      enabled();
      const found = await channelMessages(ctx.db, request.params.name, ctx.clock());
      if (!found)
        throw notFound(
          `the demo platform has no channel '${request.params.name}'; see GET /v1/demo-platform/channels`,
        );
      return { channel: found.channel, items: found.messages };
    },
  );
};
