import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { seedReportWorld } from '../support/report-fixture.ts';

/**
 * The public page at /transparency, rendered by headless Chromium (Debian's, driven by
 * playwright-core) in both languages under its strict CSP: its charts are drawn, no script
 * is refused, and a screenshot of each is kept in test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');
let app: TestApp;
let origin: string;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2027-03-01T00:00:00Z');
  await seedReportWorld(app.ctx.db);
  origin = await app.server.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

describe('the public transparency page', () => {
  it('is served with a CSP that allows scripts from this instance only, and has no inline script', async () => {
    const response = await app.request({
      method: 'GET',
      url: '/transparency?lang=en&from=2026-01-01&to=2026-12-31',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self';/);
    const scripts = [...response.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    // Every script is a file of this instance, or the JSON data block (never executed).
    for (const attributes of scripts)
      expect(attributes).toMatch(/src="\/transparency\/assets\/|type="application\/json"/);
    expect(response.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"]*\.js/);
    const library = await app.request({ method: 'GET', url: '/transparency/assets/echarts.min.js' });
    expect(library.statusCode).toBe(200);
    expect(
      (await app.request({ method: 'GET', url: '/transparency/assets/..%2Fpackage.json' })).statusCode,
    ).toBe(404);
  });

  it('refuses an unknown language or a bad period with a 400 naming the field', async () => {
    const lang = await app.request({ method: 'GET', url: '/transparency?lang=fr' });
    expect(lang.statusCode).toBe(400);
    expect(lang.json().errors[0].pointer).toBe('/lang');
    const period = await app.request({ method: 'GET', url: '/transparency?from=2026-02-01&to=2026-01-01' });
    expect(period.json().errors[0].pointer).toBe('/to');
  });

  it.skipIf(!haveBrowser)(
    'draws its charts in Chromium in Indonesian and English, with no script refused',
    { timeout: 120_000 },
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      mkdirSync(artifacts, { recursive: true });
      try {
        for (const [lang, heading] of [
          ['id', 'Laporan transparansi'],
          ['en', 'Transparency report'],
        ] as const) {
          const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
          const problems: string[] = [];
          page.on('pageerror', (error) => problems.push(error.message));
          page.on('console', (message) => {
            if (message.type() === 'error') problems.push(message.text());
          });
          await page.goto(`${origin}/transparency?lang=${lang}&from=2026-01-01&to=2026-12-31`);
          await page.waitForSelector('body[data-charts]', { timeout: 30_000 });
          expect(await page.textContent('h1')).toBe(heading);
          expect(Number(await page.getAttribute('body', 'data-charts'))).toBe(5);
          expect(await page.locator('.chart canvas').count()).toBe(5);
          expect(problems).toEqual([]);
          await page.screenshot({ path: path.join(artifacts, `transparency-${lang}.png`), fullPage: true });
          await page.close();
        }
      } finally {
        await browser.close();
      }
      expect(existsSync(path.join(artifacts, 'transparency-en.png'))).toBe(true);
    },
  );
  if (!haveBrowser)
    console.warn(`skipped the Chromium test: no browser at ${CHROMIUM} (apt-get install -y chromium)`);
});
