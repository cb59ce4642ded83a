import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { runCli } from '../support/cli.ts';
import {
  accessibilityProblems,
  type ConsoleServer,
  clearArtifacts,
  hasBrowser,
  launchBrowser,
  screenshot,
  startConsoleServer,
  watch,
} from './support/browser.ts';

/**
 * The console end to end in a real browser, in Bahasa Indonesia: a ministry analyst files a
 * notice with an image, a reviewer reveals the image and removes the content, the analyst
 * follows the outcome, the affected user appeals from the statement's link, and a different
 * reviewer decides the appeal. No console error and no failed request anywhere; free text
 * stays text; axe finds no serious violation on the screens on the way.
 */
const SCRIPT = '<script>window.__pwned = 1</script>';
const IMG = '<img src="x" onerror="window.__pwned = 2">';
const LINK = '<a href="javascript:window.__pwned = 3">klik</a> javascript:window.__pwned = 4';
const EXPLANATION = `Kanal ini menyebarkan propaganda teror. ${SCRIPT} ${IMG} ${LINK}`;
const REFERENCE = `<b>B-123/KOMDIGI</b>${SCRIPT}`;
const FILENAME = '<img src=x onerror=alert(1)>.png';
const MESSAGE = `Mohon konfirmasi. ${SCRIPT} ${LINK} <h1>besar</h1>`;
const TARGET = 'https://t.me/propaganda_demo/42';

let server: ConsoleServer;
let browser: Browser;
const opened: Page[] = [];
const a11y: string[] = [];
const contexts: BrowserContext[] = [];

async function open(name: string, options: { timezoneId: string }): Promise<Page> {
  const context = await browser.newContext({ locale: 'id-ID', acceptDownloads: true, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  opened.push(page);
  const seen = watch(page, name);
  pages.push(seen);
  return page;
}
const pages: string[][] = [];

async function login(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Surel').fill(email);
  await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('whoami').waitFor();
}

/** Nothing the page was given as text ran as code, and no javascript: link was made of it. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(await page.locator('main script, main img[src="x"], main h1:text("besar")').count()).toBe(0);
}

const check = async (page: Page, screen: string) => a11y.push(...(await accessibilityProblems(page, screen)));

beforeAll(async () => {
  if (!hasBrowser) return;
  clearArtifacts();
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasBrowser)('the console in a browser', () => {
  it('carries a notice from the analyst to the reviewer, the affected user and the appeal', async () => {
    try {
      await flow();
    } catch (error) {
      // What the pages saw says more than a timeout: keep it, and the screen, with the failure.
      for (const [i, page] of opened.entries()) await screenshot(page, `failure-${i}`).catch(() => undefined);
      throw new Error(`${(error as Error).message}\n\npage problems:\n${pages.flat().join('\n')}`);
    }
  }, 150_000);

  it('lets anyone report content without an account and keep the receipt', async () => {
    const visitor = await open('visitor', { timezoneId: 'Asia/Jakarta' });
    await visitor.goto(`${server.url}/`);
    await visitor.getByRole('link', { name: 'Laporkan konten tanpa akun' }).click();
    await visitor.waitForURL('**/report');
    await visitor.getByLabel('Sasaran (satu tautan per baris)').fill('https://t.me/public_report_demo/9');
    await visitor.getByTestId('parsed-targets').locator('li.ok').waitFor();
    await visitor.getByLabel('Kategori').selectOption('terrorism');
    await visitor.getByLabel('Penjelasan').fill(`Kanal ini merekrut untuk kelompok teror. ${SCRIPT}`);
    await visitor.getByLabel('Nama Anda').fill('Budi Santoso');
    await visitor.getByLabel('Surel').fill('budi@example.org');
    await visitor.getByLabel(/iktikad baik/).check();
    a11y.push(...(await accessibilityProblems(visitor, 'public notice form')));
    await visitor.getByRole('button', { name: 'Kirim aduan' }).click();
    await visitor.getByTestId('receipt').waitFor();
    await screenshot(visitor, 'public-notice-receipt');
    await expectInert(visitor);
    expect(pages.flat().filter((p) => p.startsWith('visitor'))).toEqual([]);
    expect(a11y.filter((p) => p.startsWith('public'))).toEqual([]);
  }, 60_000);

  it('shows the API documentation at /docs under its own policy, without a CSP violation', async () => {
    const reader = await open('docs reader', { timezoneId: 'Asia/Jakarta' });
    await reader.goto(`${server.url}/docs`);
    await reader.locator('.swagger-ui .info .title').getByText('tapis').waitFor();
    await reader.locator('.opblock').first().waitFor();
    expect(pages.flat().filter((p) => p.startsWith('docs reader'))).toEqual([]);
  }, 60_000);
});

async function flow(): Promise<void> {
  {
    // 1. The ministry analyst logs in (Indonesian: a flagger organisation) and files a notice.
    const analyst = await open('analyst', { timezoneId: 'Asia/Jakarta' });
    await analyst.goto(`${server.url}/`);
    await analyst.getByLabel('Surel').waitFor();
    await check(analyst, 'login');
    await screenshot(analyst, 'login');
    await login(analyst, 'analis@komdigi.example');
    await analyst.waitForURL('**/portal');
    await analyst.getByRole('link', { name: 'Aduan baru' }).first().click();
    await analyst.getByLabel('Sasaran (satu tautan per baris)').fill(`${TARGET}\nt.me/ab`);
    // The API's own parser answers as the analyst types: one canonical subject, one refusal.
    await analyst.getByTestId('parsed-targets').getByText('telegram:message:propaganda_demo/42').waitFor();
    await analyst.getByTestId('parsed-targets').locator('li.bad').waitFor();
    await analyst.getByLabel('Sasaran (satu tautan per baris)').fill(TARGET);
    await analyst.getByTestId('parsed-targets').locator('li.bad').waitFor({ state: 'detached' });
    await analyst.getByLabel('Kategori').selectOption('terrorism');
    await analyst.getByLabel('Nomor surat Anda').fill(REFERENCE);
    await analyst.getByLabel('Dasar hukum').fill('UU No. 5 Tahun 2018, Pasal 13A');
    await analyst.getByLabel('Penjelasan').fill(EXPLANATION);
    const png = await sharp({
      create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 40, b: 40 } },
    })
      .png()
      .toBuffer();
    await analyst.getByLabel('Bukti').setInputFiles({ name: FILENAME, mimeType: 'image/png', buffer: png });
    await analyst.getByLabel(/iktikad baik/).check();
    await check(analyst, 'notice form');
    await screenshot(analyst, 'analyst-notice-form');
    await analyst.getByRole('button', { name: 'Kirim aduan' }).click();
    await analyst.getByTestId('receipt').waitFor();
    await check(analyst, 'receipt');
    await screenshot(analyst, 'analyst-receipt');

    // The receipt downloads as a file that `tapis receipt verify` accepts.
    const [download] = await Promise.all([
      analyst.waitForEvent('download'),
      analyst.getByRole('button', { name: 'Unduh tanda terima' }).click(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'tapis-receipt-'));
    const receiptFile = join(dir, download.suggestedFilename());
    await download.saveAs(receiptFile);
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).text();
    writeFileSync(join(dir, 'jwks.json'), jwks);
    const noticeId = JSON.parse(readFileSync(receiptFile, 'utf8')).notice_id as string;
    const verified = await runCli(['receipt', 'verify', receiptFile, '--jwks', join(dir, 'jwks.json')]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(noticeId);

    // 2. A reviewer claims the case (key c), reveals the blurred image (key r; the counter
    //    moves) and removes the content with the category's template.
    const reviewer = await open('reviewer', { timezoneId: 'Europe/Amsterdam' });
    await login(reviewer, 'peninjau@platform.example');
    await reviewer.waitForURL('**/desk');
    const row = reviewer.getByTestId('queue-row').filter({ hasText: 'propaganda_demo' });
    await row.waitFor();
    await expect(row.locator('.mark.trusted').count()).resolves.toBe(1);
    await check(reviewer, 'queue');
    await screenshot(reviewer, 'reviewer-queue');
    await row.getByRole('link').click();
    await reviewer.getByTestId('case-explanation').waitFor();
    expect(await reviewer.getByTestId('case-explanation').first().textContent()).toContain(SCRIPT);
    await reviewer.keyboard.press('c');
    await reviewer.getByTestId('lease').getByText('Milik Anda:').waitFor();
    await expect(reviewer.getByTestId('blurred').count()).resolves.toBe(1);
    expect(await reviewer.getByTestId('exposure').textContent()).toMatch(/—/);
    await reviewer.keyboard.press('r');
    await reviewer.getByTestId('revealed-image').waitFor();
    await reviewer.getByTestId('exposure').getByText('1 / 60').waitFor();
    expect(await reviewer.getByTestId('revealed-image').getAttribute('class')).toContain('greyscale');
    await expectInert(reviewer);
    await check(reviewer, 'case view');
    await screenshot(reviewer, 'reviewer-case-revealed');
    await reviewer.getByTestId('template').selectOption('terrorism-remove');
    expect(await reviewer.getByLabel('Hukum yang menjadi dasar').inputValue()).toContain(
      'UU No. 5 Tahun 2018',
    );
    await reviewer.getByRole('button', { name: 'Pratinjau' }).click();
    await reviewer.getByTestId('preview').waitFor();
    const acknowledge = reviewer.getByLabel(/tidak dapat dibatalkan/);
    if (await acknowledge.count()) await acknowledge.check();
    await screenshot(reviewer, 'reviewer-decision');
    await reviewer.getByRole('button', { name: 'Putuskan', exact: true }).click();
    await reviewer.getByTestId('decided').waitFor();
    const statementPath = await reviewer.getByTestId('decided').getByRole('link').getAttribute('href');
    expect(statementPath).toMatch(/^\/statements\/[A-Za-z0-9]{40}$/);

    // 3. The analyst sees the outcome and the thread, and writes in it.
    await analyst.goto(`${server.url}/portal`);
    await analyst.getByRole('link').filter({ hasText: /\d/ }).first().click();
    await analyst.waitForURL(`**/portal/notices/${noticeId}`);
    // The page refreshes the notice by itself (every 10 s) until the outcome is there; a
    // reload here would abort its own requests in flight.
    await analyst.getByTestId('target-outcome').first().getByText('Dihapus').waitFor({ timeout: 40_000 });
    expect(await analyst.getByTestId('notice-explanation').textContent()).toBe(EXPLANATION);
    expect(await analyst.getByRole('heading', { level: 1 }).textContent()).toContain(REFERENCE);
    // The server makes the file name safe to store; what is left shows as text.
    expect(await analyst.getByTestId('evidence-name').textContent()).toContain('onerror=alert(1)');
    await analyst.getByLabel('Pesan', { exact: true }).fill(MESSAGE);
    await analyst.getByRole('button', { name: 'Kirim', exact: true }).click();
    await analyst.getByTestId('thread').getByText('Mohon konfirmasi.', { exact: false }).waitFor();
    expect(await analyst.getByTestId('thread').textContent()).toContain(SCRIPT);
    await expectInert(analyst);
    await check(analyst, 'notice and thread');
    await screenshot(analyst, 'analyst-outcome-thread');

    // 4. The affected user opens the statement's link (no login) and appeals.
    const user = await open('affected user', { timezoneId: 'Asia/Jakarta' });
    await user.goto(`${server.url}${statementPath}`);
    await user.getByTestId('statement').waitFor();
    expect(await user.getByTestId('statement').textContent()).toContain('UU No. 5 Tahun 2018');
    await check(user, 'statement');
    await user.getByLabel('Mengapa keputusan ini keliru').fill(`Ini berita, bukan propaganda. ${SCRIPT}`);
    await user.getByRole('button', { name: 'Kirim banding' }).click();
    await user.getByTestId('appeal-status').getByText('Banding diterima').waitFor();
    await screenshot(user, 'affected-user-appeal');

    // 5. A different reviewer (the lead, English by default) switches to Indonesian and
    //    decides the appeal; the affected user sees the outcome.
    const lead = await open('lead', { timezoneId: 'Asia/Jakarta' });
    await lead.goto(`${server.url}/`);
    await lead.getByLabel('Bahasa').selectOption('id');
    await login(lead, 'lead@platform.example');
    await lead.getByRole('link', { name: 'Banding' }).click();
    const appeal = lead.getByTestId('appeal').filter({ hasText: 'propaganda_demo' });
    await appeal.waitFor();
    expect(await appeal.getByTestId('appeal-grounds').textContent()).toContain(SCRIPT);
    await check(lead, 'appeals');
    await appeal.getByRole('button', { name: 'Klaim banding' }).click();
    await appeal.getByLabel('Ditolak: keputusan tetap berlaku').check();
    await appeal.getByLabel(/Alasan/).fill('Konten memuat propaganda organisasi teroris yang ditetapkan.');
    await appeal.getByRole('button', { name: 'Putuskan banding' }).click();
    await lead.getByTestId('appeal-done').getByText('Ditolak: keputusan tetap berlaku').waitFor();
    await expectInert(lead);
    await screenshot(lead, 'lead-appeal-decided');
    await user.reload();
    await user.getByTestId('appeal-status').getByText('Ditolak: keputusan tetap berlaku').waitFor();
    await screenshot(user, 'affected-user-outcome');

    expect(pages.flat()).toEqual([]);
    expect(a11y).toEqual([]);
  }
}
