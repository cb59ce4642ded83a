import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/app.ts';
import { channelForward, createIntakeBot, type IntakeBot } from '../support/intake-bot.ts';

let b: IntakeBot;
let analyst: Caller;
let chat = 7000;

beforeAll(async () => {
  b = await createIntakeBot();
  analyst = await b.app.loginAs('analis@komdigi.example');
});
afterAll(() => b.close());

/** A freshly linked analyst (the same portal user, a new Telegram account each test). */
async function linked(language = 'id'): Promise<number> {
  chat += 1;
  await b.link(analyst, chat, language);
  return chat;
}

/** Category, legal basis, confirm: returns the notice filed. */
async function fileFrom(from: number, category = /Terorisme|Terrorism/) {
  b.press(from, b.button(from, category));
  await b.poll();
  b.press(from, b.button(from, /UU ITE|ITE Law/));
  await b.poll();
  b.press(from, b.button(from, /Kirim laporan|File the notice/));
  await b.poll();
  const caption = b.said(from).at(-1)?.caption ?? '';
  const id = /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(caption)?.[1];
  if (!id) throw new Error(`no notice filed: ${b.said(from).at(-1)?.text}`);
  return (await b.app.request({ method: 'GET', url: `/v1/notices/${id}`, as: analyst })).json() as {
    id: string;
    language: string;
    targets: { raw: string }[];
    explanation: string;
  };
}
const texts = (from: number) => b.said(from).map((m) => m.text ?? m.caption ?? '');

describe('each kind of forward becomes the best target its origin allows', () => {
  it('a channel post (forward_origin channel) targets the post', async () => {
    const from = await linked();
    b.send(from, channelForward('synthetic_chan', 11));
    await b.poll();
    expect((await fileFrom(from)).targets.map((t) => t.raw)).toEqual(['https://t.me/synthetic_chan/11']);
  });

  it('a chat posting as itself (forward_origin chat) targets the chat, and the analyst is told', async () => {
    const from = await linked('en');
    b.send(
      from,
      {
        forward_origin: {
          type: 'chat',
          date: 1,
          sender_chat: { id: -1005550001, type: 'supergroup', title: 'G', username: 'synthetic_group' },
        },
        text: 'Synthetic.',
      },
      'en',
    );
    await b.poll();
    expect(texts(from).join('\n')).toContain('The forward names only the chat, not the post');
    const notice = await fileFrom(from);
    expect(notice.targets.map((t) => t.raw)).toEqual(['https://t.me/synthetic_group']);
    expect(notice.language).toBe('en');
  });

  it('a user (forward_origin user) targets the account', async () => {
    const from = await linked();
    b.send(from, {
      forward_origin: {
        type: 'user',
        date: 1,
        sender_user: { id: 99, first_name: 'X', username: 'synthetic_user' },
      },
      text: 'Synthetic.',
    });
    await b.poll();
    expect(texts(from).join('\n')).toContain('hanya menyebut akun pengirim');
    expect((await fileFrom(from)).targets.map((t) => t.raw)).toEqual(['@synthetic_user']);
  });

  it('a hidden user gives no target: the bot asks for a link, and a pasted link completes the draft', async () => {
    const from = await linked();
    b.send(from, {
      forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Synthetic' },
      text: 'Synthetic.',
    });
    await b.poll();
    expect(texts(from).join('\n')).toContain('menyembunyikan akunnya');
    expect(texts(from).at(-1)).toMatch(/belum punya target/);
    expect(() => b.button(from, 'Terorisme')).toThrow();
    b.send(from, { text: 'ini tautannya https://t.me/synthetic_chan/77' });
    await b.poll();
    expect(texts(from).at(-1)).toBe('Pilih kategori:');
    expect((await fileFrom(from)).targets.map((t) => t.raw)).toEqual(['https://t.me/synthetic_chan/77']);
  });

  it('the older forward_from_chat fields are read like forward_origin', async () => {
    const from = await linked();
    b.send(from, {
      forward_from_chat: { id: -1001112223334, type: 'channel', title: 'Old', username: 'synthetic_old' },
      forward_from_message_id: 5,
      forward_date: 1,
      text: 'Synthetic.',
    });
    await b.poll();
    expect((await fileFrom(from)).targets.map((t) => t.raw)).toEqual(['https://t.me/synthetic_old/5']);
  });
});

describe('several posts, one notice', () => {
  it('an album (one media group) is one notice with one target per post', async () => {
    const from = await linked();
    for (const post of [21, 22, 23]) {
      b.bot.addFile(`album-${post}`, Buffer.from(`synthetic bytes ${post}`));
      b.send(
        from,
        channelForward('synthetic_chan', post, {
          media_group_id: 'album-1',
          document: {
            file_id: `album-${post}`,
            file_unique_id: `u-album-${post}`,
            file_size: 17,
            file_name: `p${post}.txt`,
          },
        }),
      );
    }
    await b.poll();
    expect(texts(from).filter((t) => t === 'Pilih kategori:')).toHaveLength(1);
    const notice = await fileFrom(from);
    expect(notice.targets.map((t) => t.raw)).toEqual(
      [21, 22, 23].map((p) => `https://t.me/synthetic_chan/${p}`),
    );
    const evidence = await b.app.ctx.db
      .selectFrom('evidence')
      .select('filename')
      .where('notice_id', '=', notice.id)
      .execute();
    expect(evidence.map((e) => e.filename).sort()).toEqual([
      'p21.txt',
      'p22.txt',
      'p23.txt',
      'telegram-forward.json',
    ]);
  });

  it('/gather collects forwards within the window into one notice, on request', async () => {
    const from = await linked();
    b.send(from, { text: '/kumpulkan' });
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^Mode kumpulkan/);
    b.send(from, channelForward('synthetic_chan', 31));
    b.send(from, channelForward('other_synthetic', 32));
    await b.poll();
    expect(texts(from).at(-1)).toBe('2 postingan terkumpul.');
    b.press(from, b.button(from, 'Selesai'));
    await b.poll();
    const notice = await fileFrom(from);
    expect(notice.targets.map((t) => t.raw)).toEqual([
      'https://t.me/synthetic_chan/31',
      'https://t.me/other_synthetic/32',
    ]);
  });

  it('once the gathering window has closed, the notice goes on with what was gathered', async () => {
    const from = await linked('en');
    b.send(from, { text: '/gather' }, 'en');
    b.send(from, channelForward('synthetic_chan', 41), 'en');
    await b.poll();
    b.app.clock.advance(6 * 60_000);
    b.send(from, channelForward('synthetic_chan', 42), 'en');
    await b.poll();
    const said = texts(from).slice(-3);
    expect(said[0]).toMatch(/gathering window has closed/);
    expect(said[1]).toBe('Choose the category:');
    expect(said[2]).toMatch(/A draft notice is still open/);
    expect((await fileFrom(from)).targets.map((t) => t.raw)).toEqual(['https://t.me/synthetic_chan/41']);
  });

  it('an unrelated forward while a draft is open is refused, with what to do', async () => {
    const from = await linked();
    b.send(from, channelForward('synthetic_chan', 51));
    b.send(from, channelForward('synthetic_chan', 52));
    await b.poll();
    expect(texts(from).at(-1)).toBe(
      'Ada draf laporan yang belum selesai. Selesaikan dulu, atau kirim /batal.',
    );
    b.send(from, { text: '/batal' });
    await b.poll();
    expect(texts(from).at(-1)).toBe('Draf dibatalkan.');
    b.send(from, channelForward('synthetic_chan', 52));
    await b.poll();
    expect(texts(from).at(-1)).toBe('Pilih kategori:');
  });
});

describe('the analyst’s own words and bad input', () => {
  it('writes their own legal basis and explanation, and the notice carries them', async () => {
    const from = await linked('en');
    b.send(from, { text: 'https://t.me/synthetic_chan/61' }, 'en');
    await b.poll();
    b.press(from, b.button(from, 'Terrorism'));
    await b.poll();
    b.press(from, b.button(from, 'Write my own'));
    await b.poll();
    b.send(from, { text: 'Synthetic Law 1/2026, Article 2' }, 'en');
    await b.poll();
    b.send(
      from,
      { text: 'Synthetic: the post recruits for a designated group and names a meeting place.' },
      'en',
    );
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/Explanation: Synthetic: the post recruits/);
    b.press(from, b.button(from, 'File the notice'));
    await b.poll();
    const id = /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(b.said(from).at(-1)?.caption ?? '')![1];
    const notice = (await b.app.request({ method: 'GET', url: `/v1/notices/${id}`, as: analyst })).json();
    expect(notice).toMatchObject({
      legal_basis: 'Synthetic Law 1/2026, Article 2',
      explanation: 'Synthetic: the post recruits for a designated group and names a meeting place.',
    });
  });

  it('an explanation the intake refuses is explained, and the draft waits for a better one', async () => {
    const from = await linked('en');
    b.send(from, { text: 'https://t.me/synthetic_chan/62' }, 'en');
    await b.poll();
    b.press(from, b.button(from, 'Terrorism'));
    await b.poll();
    b.press(from, b.button(from, /ITE Law/));
    await b.poll();
    b.send(from, { text: 'too short' }, 'en');
    await b.poll();
    b.press(from, b.button(from, 'File the notice'));
    await b.poll();
    expect(texts(from).at(-1)).toMatch(
      /^The notice could not be accepted: explanation: explain why .* at least 20 characters/,
    );
    b.send(from, { text: 'Synthetic: a long enough reason for the test notice.' }, 'en');
    await b.poll();
    b.press(from, b.button(from, 'File the notice'));
    await b.poll();
    expect(b.said(from).at(-1)?.method).toBe('sendDocument');
  });

  it('a refused link is explained by the parser; a button of a finished draft is stale', async () => {
    const from = await linked('en');
    b.send(from, { text: 'see t.me/ab' }, 'en');
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^The link cannot be used: t\.me\/ab: .*username/);
    b.send(from, { text: 'https://t.me/synthetic_chan/63' }, 'en');
    await b.poll();
    const category = b.button(from, 'Terrorism');
    b.send(from, { text: '/cancel' }, 'en');
    b.press(from, category);
    b.press(from, 'c:zzzz');
    await b.poll();
    const answers = b.bot.calls.filter((c) => c.method === 'answerCallbackQuery').slice(-2);
    expect(answers.map((a) => a.params.text)).toEqual([
      'This button is no longer active.',
      'This button is no longer active.',
    ]);
  });

  it('a file over the Bot API’s 20 MB download limit is noted on the notice without failing it', async () => {
    const from = await linked('en');
    b.bot.addFile('big-video', Buffer.from('synthetic'), 25 * 1024 * 1024);
    b.send(
      from,
      channelForward('synthetic_chan', 64, {
        video: { file_id: 'big-video', file_unique_id: 'u-big', file_name: 'big.mp4' },
      }),
      'en',
    );
    await b.poll();
    expect(texts(from).join('\n')).toContain('larger than 20 MB');
    const notice = await fileFrom(from, /Terrorism/);
    const manifest = await b.app.ctx.db
      .selectFrom('evidence')
      .innerJoin('blobs', 'blobs.sha256', 'evidence.sha256')
      .select('blobs.data')
      .where('evidence.notice_id', '=', notice.id)
      .where('evidence.filename', '=', 'telegram-forward.json')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(Buffer.from(manifest.data!).toString('utf8')).media[0]).toMatchObject({
      name: 'big.mp4',
      sha256: null,
      note: 'too_large',
    });
  });

  it('a malformed update is skipped, and the updates after it are handled', async () => {
    const from = await linked('en');
    b.bot.pushUpdate({ message: { message_id: 'not a number', chat: null } });
    b.send(from, { text: '/help' }, 'en');
    await b.poll();
    expect(texts(from).at(-1)).toMatch(/^Forward a post/);
    const skipped = await b.app.ctx.db
      .selectFrom('telegram_updates')
      .select('outcome')
      .where('sender_id', 'is', null)
      .execute();
    expect(skipped.map((s) => s.outcome)).toContain('ignored');
  });
});
