import { describe, expect, it } from 'vitest';
import { forwardFacts, mediaOf, pastedTargets } from './forwards.ts';
import { languageOf } from './messages.ts';
import type { Message } from './updates.ts';

const base = { message_id: 9, date: 1_790_000_000, chat: { id: 77, type: 'private' } };
const message = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as Message;
const channel = { id: -1001234567890, type: 'channel', title: 'Synthetic', username: 'synthetic_news' };

describe('what a forward says about where it came from', () => {
  it('a channel post points at the post itself', () => {
    expect(
      forwardFacts(message({ forward_origin: { type: 'channel', date: 1, chat: channel, message_id: 42 } })),
    ).toMatchObject({ origin: 'channel', target: 'https://t.me/synthetic_news/42', precision: 'message' });
  });

  it('a post of a channel without a username points at its t.me/c/ link, without the -100', () => {
    const chat = { id: -1009876543210, type: 'channel', title: 'Private' };
    expect(
      forwardFacts(message({ forward_origin: { type: 'channel', date: 1, chat, message_id: 7 } })),
    ).toMatchObject({
      target: 'https://t.me/c/9876543210/7',
      precision: 'message',
    });
  });

  it('a chat posting as itself gives only the chat, and says so', () => {
    const facts = forwardFacts(
      message({ forward_origin: { type: 'chat', date: 1, sender_chat: { ...channel, type: 'supergroup' } } }),
    );
    expect(facts).toMatchObject({ origin: 'chat', target: 'https://t.me/synthetic_news', precision: 'chat' });
  });

  it('a user gives only their account, by username', () => {
    const facts = forwardFacts(
      message({
        forward_origin: {
          type: 'user',
          date: 1,
          sender_user: { id: 5, first_name: 'A', username: 'someone_x' },
        },
      }),
    );
    expect(facts).toMatchObject({ origin: 'user', target: '@someone_x', precision: 'account' });
  });

  it('a user without a username and a hidden user give no target at all', () => {
    expect(
      forwardFacts(
        message({ forward_origin: { type: 'user', date: 1, sender_user: { id: 5, first_name: 'A' } } }),
      ),
    ).toMatchObject({ target: null, precision: 'none' });
    expect(
      forwardFacts(
        message({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Abu Synthetic' } }),
      ),
    ).toMatchObject({
      origin: 'hidden_user',
      target: null,
      precision: 'none',
      described: 'hidden user "Abu Synthetic"',
    });
  });

  it('the older forward_from_chat, forward_from and forward_sender_name fields read the same way', () => {
    expect(
      forwardFacts(message({ forward_from_chat: channel, forward_from_message_id: 42, forward_date: 1 })),
    ).toMatchObject({ origin: 'channel', target: 'https://t.me/synthetic_news/42', precision: 'message' });
    expect(
      forwardFacts(message({ forward_from: { id: 5, username: 'someone_x' }, forward_date: 1 })),
    ).toMatchObject({
      origin: 'user',
      target: '@someone_x',
    });
    expect(forwardFacts(message({ forward_sender_name: 'Hidden', forward_date: 1 }))).toMatchObject({
      origin: 'hidden_user',
      target: null,
    });
  });

  it('a message that is not a forward has no origin', () => {
    expect(forwardFacts(message({ text: 'hello' }))).toBeNull();
  });
});

describe('media and pasted links', () => {
  it('takes the largest photo size', () => {
    const photo = [
      { file_id: 's', file_unique_id: 'us', file_size: 10 },
      { file_id: 'l', file_unique_id: 'ul', file_size: 900 },
    ];
    expect(mediaOf(message({ photo }))).toMatchObject({ file_id: 'l', size: 900 });
  });

  it('finds every link in pasted text, and explains the ones the parser refuses', () => {
    const found = pastedTargets('lihat https://t.me/synthetic_news/42, dan t.me/ab juga');
    expect(found[0]).toEqual({ raw: 'https://t.me/synthetic_news/42', ok: true });
    expect(found[1]).toMatchObject({ raw: 't.me/ab', ok: false });
    expect(found[1]!.reason).toMatch(/username/);
    expect(pastedTargets('no links here')).toEqual([]);
  });

  it('speaks Indonesian to id and in, English to everyone else', () => {
    expect(['id', 'in', 'id-ID', 'en', 'en-US', 'ms', undefined].map(languageOf)).toEqual([
      'id',
      'id',
      'id',
      'en',
      'en',
      'en',
      'en',
    ]);
  });
});
