import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../src/notices/receipts.ts';
import { collectStatus, deliverStatus } from '../../src/telegram-intake/status.ts';
import type { Caller } from '../support/app.ts';
import { channelForward, createIntakeBot, type IntakeBot } from '../support/intake-bot.ts';

let b: IntakeBot;
let analyst: Caller;
let peninjau: Caller;
const ANALYST = 5001;

beforeAll(async () => {
  b = await createIntakeBot();
  analyst = await b.app.loginAs('analis@komdigi.example');
  peninjau = await b.app.loginAs('peninjau@platform.example');
});
afterAll(() => b.close());

describe('from a forward to a notice to a decision, through the bot', () => {
  it('files a forwarded channel post confirmed in Indonesian, returns a receipt that verifies, and later reports the decision', async () => {
    expect(await b.link(analyst, ANALYST, 'id')).toMatch(/^Terhubung sebagai/);
    const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a6' } })
      .png()
      .toBuffer();
    b.bot.addFile('photo-42', photo);
    b.send(
      ANALYST,
      channelForward('synthetic_news', 42, {
        text: undefined,
        caption: 'Synthetic caption.',
        photo: [
          {
            file_id: 'photo-42',
            file_unique_id: 'u-photo-42',
            file_size: photo.length,
            width: 64,
            height: 64,
          },
        ],
      }),
    );
    await b.poll();
    const started = b.said(ANALYST).map((m) => m.text ?? '');
    expect(started.join('\n')).toContain('https://t.me/synthetic_news/42');
    expect(started.join('\n')).toContain('Lokasi tepat: postingan ini.');
    expect(started.at(-1)).toBe('Pilih kategori:');

    b.press(ANALYST, b.button(ANALYST, 'Terorisme'));
    await b.poll();
    expect(b.said(ANALYST).at(-1)?.text).toBe('Pilih dasar hukum:');
    b.press(ANALYST, b.button(ANALYST, /UU Terorisme/));
    await b.poll();
    const summary = b.said(ANALYST).at(-1)!;
    expect(summary.text).toContain('Ringkasan laporan');
    expect(summary.text).toContain('UU No. 5 Tahun 2018');

    b.press(ANALYST, b.button(ANALYST, 'Kirim laporan'));
    await b.poll();
    const receipt = b.said(ANALYST).at(-1)!;
    expect(receipt.method).toBe('sendDocument');
    expect(receipt.caption).toMatch(/^Laporan diterima\. Nomor: [0-9a-f-]{36}\nBatas waktu: .+WIB/);
    const jwks = (await b.app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const check = await verifyReceipt(receipt.document!.content, jwks);
    expect(check.valid).toBe(true);
    const noticeId = (check as { claims: { notice_id: string } }).claims.notice_id;
    expect(receipt.caption).toContain(noticeId);

    const notice = (
      await b.app.request({ method: 'GET', url: `/v1/notices/${noticeId}`, as: analyst })
    ).json();
    expect(notice).toMatchObject({ category: 'terrorism', language: 'id', org: 'komdigi' });
    expect(notice.targets.map((t: { raw: string }) => t.raw)).toEqual(['https://t.me/synthetic_news/42']);
    expect(notice.legal_basis).toContain('Pasal 13A');
    // The photo was captured as evidence with its hashes; the manifest carries its PDQ.
    const evidence = await b.app.ctx.db
      .selectFrom('evidence')
      .select(['filename', 'sha256', 'md5', 'content_type', 'preserved_until'])
      .where('notice_id', '=', noticeId)
      .execute();
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(evidence.find((e) => e.content_type === 'image/png')).toMatchObject({
      sha256,
      md5: createHash('md5').update(photo).digest('hex'),
    });
    const manifest = evidence.find((e) => e.filename === 'telegram-forward.json')!;
    const blob = await b.app.ctx.db
      .selectFrom('blobs')
      .select('data')
      .where('sha256', '=', manifest.sha256)
      .executeTakeFirstOrThrow();
    const kept = JSON.parse(Buffer.from(blob.data!).toString('utf8'));
    expect(kept.media[0]).toMatchObject({ sha256, pdq: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(kept.posts[0].text).toBe('Synthetic caption.');

    // Later: a reviewer decides, and the analyst hears of it through the bot.
    const caseId = notice.targets[0].case_id;
    expect(
      (await b.app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode,
    ).toBe(200);
    const decided = await b.app.request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: peninjau,
      payload: {
        outcome: 'no_action',
        grounds: {
          incompatible: {
            ground: 'Terms 4.2',
            explanation: 'Synthetic: on review the post does not break the terms.',
          },
        },
        language: 'id',
      },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const before = b.said(ANALYST).length;
    await collectStatus(b.app.ctx.db);
    await deliverStatus(b.app.ctx.db, b.app.clock());
    await b.drainOutbox();
    const news = b
      .said(ANALYST)
      .slice(before)
      .map((m) => m.text);
    expect(news.join('\n')).toMatch(/Kabar laporan Anda:\n• .*diputuskan/);
  });
});
