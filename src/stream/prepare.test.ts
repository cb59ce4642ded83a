import { describe, expect, it } from 'vitest';
import { parseTarget } from '../notices/targets.ts';
import { subjectsOf } from './prepare.ts';

// The stream builds a post's subject from its channel's, parsed once (prepare.ts): it must
// be exactly what a notice naming the post's t.me link gets, or the same refusal.
describe('a post subject from the stream', () => {
  const channels = ['@SomeChannel', 'some_channel', 'Another_Chan99', '1234567890', '42'];
  const ids = ['1', '7', '42', '999999999', '1000000000', '2147483647', '2147483648', '007', '0', 'x1', ''];

  it.each(channels.flatMap((channel) => ids.map((id) => [channel, id] as const)))(
    'for channel %s, post %s, is what parseTarget gives for its link',
    (channel, id) => {
      const path = /^\d+$/.test(channel) ? `c/${channel}` : channel.replace(/^@/, '');
      const link = parseTarget(`https://t.me/${path}/${id}`);
      const got = subjectsOf('telegram', channel, id);
      if (link.ok) {
        expect(got).toHaveProperty('post');
        expect(JSON.stringify((got as { post: unknown }).post)).toBe(JSON.stringify(link.subject));
        expect((got as { post: unknown }).post).toStrictEqual(link.subject);
      } else {
        expect(got).toEqual({ reason: `id: ${link.reason}` });
      }
    },
  );

  it('gives the same subject the second time, from the memo', () => {
    const once = subjectsOf('telegram', 'memo_channel', '5');
    const again = subjectsOf('telegram', 'memo_channel', '5');
    expect(again).toStrictEqual(once);
    expect(subjectsOf('telegram', 'memo_channel', '6')).toMatchObject({ post: { message_id: 6 } });
  });
});
