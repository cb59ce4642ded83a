import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import {
  type ConsoleServer,
  hasBrowser,
  launchBrowser,
  screenshot,
  startConsoleServer,
  watch,
} from './support/browser.ts';

/**
 * The queue with ten thousand open cases: the first render is measured from a cold load of
 * /desk to the first row on screen, then the list is scrolled to its very end (the console
 * pages through the API 500 at a time). Both figures are printed.
 */
const CASES = 10_000;
let server: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasBrowser) return;
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
  await sql`
    insert into cases (id, subject_key, subject, status, jurisdiction, category, severity, trusted,
                       notice_count, language, due_at, legal_due_at, opened_at)
    select gen_random_uuid(), 'telegram:channel:bulk_' || g,
           jsonb_build_object('platform', 'telegram', 'kind', 'channel', 'key', 'telegram:channel:bulk_' || g,
                              'url', 'https://t.me/bulk_' || g, 'username', 'bulk_' || g),
           'open', 'ID', 'terrorism', 3 + g % 3, g % 2 = 0, 1, 'id',
           now() + make_interval(mins => g), now() + make_interval(mins => g + 180), now()
    from generate_series(1, ${CASES}) as g`.execute(server.app.ctx.db);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasBrowser)('a long queue', () => {
  it(`renders ${CASES.toLocaleString('en')} open cases fast and scrolls to the last`, async () => {
    const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = watch(page, 'reviewer');
    await page.goto(`${server.url}/`);
    await page.getByLabel('Surel').fill('peninjau@platform.example');
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByTestId('queue-row').first().waitFor();

    // Cold load of the desk: the app, who-am-I and the first page of the queue.
    const started = Date.now();
    await page.goto(`${server.url}/desk`);
    await page.getByTestId('queue-row').first().waitFor();
    const firstRender = Date.now() - started;
    const rendered = await page.getByTestId('queue-row').count();
    await screenshot(page, 'large-queue-start', false);

    const scrollStarted = Date.now();
    const last = page.locator(`[data-testid="queue-row"][data-index="${CASES - 1}"]`);
    while (!(await last.isVisible())) {
      await page.getByTestId('queue-scroll').evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForTimeout(100);
      if (Date.now() - scrollStarted > 90_000) break;
    }
    const scrolled = Date.now() - scrollStarted;
    await screenshot(page, 'large-queue-end', false);
    console.log(
      `[console] queue of ${CASES} open cases: first render ${firstRender} ms (target < 2000 ms), ${rendered} rows in the DOM; scrolled to the last case in ${scrolled} ms`,
    );
    await expect(last.textContent()).resolves.toContain(`bulk_${CASES}`);
    expect(await page.getByTestId('queue-count').textContent()).toContain(String(CASES));
    // Virtualised: the DOM holds the rows on screen, never ten thousand.
    expect(rendered).toBeLessThan(100);
    expect(firstRender).toBeLessThan(2000);
    expect(problems).toEqual([]);
    await context.close();
  }, 150_000);
});
