import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { postMultipart } from '../support/uploads.ts';
import { type ConsoleServer, hasBrowser, launchBrowser, startConsoleServer } from './support/browser.ts';

/**
 * Reviewer welfare, limit exposure: a revealed image or video is a small preview (at most
 * 240 px high, however tall the file), and video and audio play muted unless the reviewer
 * turns the sound on.
 */
let server: ConsoleServer;
let browser: Browser;
let caseId: string;

// Headers that the server's sniffing takes for MP4 and MP3; the browser need not play them.
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42'),
  Buffer.alloc(4),
  Buffer.from('mp42isom'),
  Buffer.alloc(64),
]);
const MP3_FRAME = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
const MP3 = Buffer.concat([MP3_FRAME, MP3_FRAME, MP3_FRAME]);

beforeAll(async () => {
  if (!hasBrowser) return;
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
  const tall = await sharp({ create: { width: 60, height: 1200, channels: 3, background: '#884422' } })
    .png()
    .toBuffer();
  const analyst = await server.app.loginAs('analis@komdigi.example');
  const notice = {
    targets: ['https://t.me/exposure_demo/5'],
    category: 'terrorism',
    explanation: 'Synthetic test notice with an image, a video and a recording.',
    good_faith: true,
  };
  const response = await postMultipart(
    server.app,
    '/v1/notices',
    analyst,
    [
      { name: 'tall.png', data: tall },
      { name: 'clip.mp4', data: MP4 },
      { name: 'speech.mp3', data: MP3 },
    ],
    { notice: JSON.stringify(notice) },
  );
  expect(response.statusCode, response.body).toBe(201);
  caseId = response.json().targets[0].case_id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The console tests run without the DOM's types: what the measure reads of an element. */
interface Shown {
  getBoundingClientRect(): { height: number };
  muted?: boolean;
  naturalHeight?: number;
  complete?: boolean;
}
type Window = { getComputedStyle(el: unknown): { maxHeight: string } };

function measure(el: unknown) {
  const shown = el as Shown;
  return {
    height: shown.getBoundingClientRect().height,
    maxHeight: (globalThis as unknown as Window).getComputedStyle(el).maxHeight,
    muted: shown.muted ?? null,
    natural: shown.naturalHeight ?? null,
    complete: shown.complete ?? null,
  };
}

async function reveal(page: Page, filename: string, tag: 'img' | 'video' | 'audio') {
  const figure = page.getByTestId('safe-media').filter({ hasText: filename });
  await figure.locator('button.reveal').click();
  const media = figure.locator(tag);
  await media.waitFor({ state: 'attached' });
  return media.evaluate(measure);
}

describe.skipIf(!hasBrowser)('media in the desk', () => {
  it('previews images and video at most 240 px high, and plays video and audio muted', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/`);
    await page.getByLabel('Surel').fill('peninjau@platform.example');
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByTestId('whoami').waitFor();
    await page.goto(`${server.url}/desk/cases/${caseId}`);
    await page.getByTestId('case-explanation').first().waitFor();
    await page.keyboard.press('c');
    await page.getByTestId('lease').getByText('Milik Anda:').waitFor();

    await reveal(page, 'tall.png', 'img');
    const image = page.getByTestId('revealed-image');
    await expect.poll(async () => (await image.evaluate(measure)).complete).toBe(true);
    const shown = await image.evaluate(measure);
    expect(shown.maxHeight).toBe('240px');
    expect(shown.natural).toBe(1200);
    expect(shown.height).toBeGreaterThan(0);
    expect(shown.height).toBeLessThanOrEqual(240);

    const video = await reveal(page, 'clip.mp4', 'video');
    expect(video).toMatchObject({ maxHeight: '240px', muted: true });
    expect(video.height).toBeLessThanOrEqual(240);

    const audio = await reveal(page, 'speech.mp3', 'audio');
    expect(audio.muted).toBe(true);
    await context.close();
  }, 120_000);
});
