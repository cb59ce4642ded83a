import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import {
  accessibilityProblems,
  type ConsoleServer,
  goWithinApp,
  hasBrowser,
  launchBrowser,
  screenshot,
  startConsoleServer,
  watch,
} from './support/browser.ts';

/**
 * SAMAN's escalation ladder in the console: an order not carried out in time gets a first
 * warning from the ministry's analyst in the notice's page, and the platform's reviewer
 * answers it there, reaching it from the case file. The server's clock is moved past the
 * order's deadline (the browser keeps real time). Its own server: the moved clock must not
 * reach the other screens' tests.
 */
let server: ConsoleServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  if (!hasBrowser) return;
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function open(locale: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Jakarta' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { page, problems: watch(page, locale) };
}

async function login(page: Page, email: string) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Surel').fill(email);
  await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('whoami').waitFor();
}

describe.skipIf(!hasBrowser)('the escalation ladder in the console', () => {
  it('the ministry issues a first warning on a breached order; the platform answers it from the case', async () => {
    const analyst = await server.app.loginAs('analis@komdigi.example');
    const submitted = await server.app.request({
      method: 'POST',
      url: '/v1/notices',
      as: analyst,
      payload: {
        targets: ['@tangga_demo'],
        category: 'terrorism',
        explanation: 'Sintetis: kanal ini menyebarkan propaganda teror.',
        good_faith: true,
        kind: 'order',
        legal_basis: 'UU No. 5 Tahun 2018',
        legal_references: [{ instrument: 'UU No. 5 Tahun 2018', provision: 'Pasal 13A' }],
        language: 'id',
        order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const noticeId = submitted.json().notice_id as string;
    const caseId = submitted.json().targets[0].case_id as string;
    // The order's hours pass without it being carried out.
    server.app.clock.advance(5 * HOUR);

    const ministry = await open('id-ID');
    await login(ministry.page, 'analis@komdigi.example');
    await goWithinApp(ministry.page, `/portal/notices/${noticeId}`);
    const issue = ministry.page.getByRole('form', { name: 'Terbitkan: Teguran pertama' });
    await issue.getByLabel('Alasan').fill('Teguran sintetis: perintah tidak dilaksanakan dalam waktunya.');
    await issue.getByLabel('Nomor surat (opsional)').fill('B-1/KOMDIGI/2026');
    await issue.getByRole('button', { name: 'Terbitkan: Teguran pertama' }).click();
    const step = ministry.page.getByTestId('ladder-step');
    await step.getByText('Teguran pertama').waitFor();
    expect(await step.textContent()).toContain('B-1/KOMDIGI/2026');
    expect(await step.textContent()).toContain('Batas jawaban');
    const barriers = await accessibilityProblems(ministry.page, 'escalation, ministry');
    await screenshot(ministry.page, 'escalation-first-warning', false);

    // The platform's reviewer reaches the notice from the case file and answers the step.
    const platform = await open('id-ID');
    await login(platform.page, 'penelaah@platform.example');
    await goWithinApp(platform.page, `/desk/cases/${caseId}`);
    await platform.page.getByRole('link', { name: 'Pemberitahuan: utas dan eskalasinya' }).click();
    const answer = platform.page.getByRole('form', { name: 'Jawab tahap ini' });
    await answer
      .getByLabel('Jawaban platform (dikirim juga ke utas)')
      .fill('Diterima; kanal sedang ditinjau sekarang.');
    await answer.getByRole('button', { name: 'Jawab tahap ini' }).click();
    await platform.page.getByTestId('ladder-answered').waitFor();
    barriers.push(...(await accessibilityProblems(platform.page, 'escalation, platform')));

    const ladder = (
      await server.app.request({ method: 'GET', url: `/v1/notices/${noticeId}/escalation`, as: analyst })
    ).json();
    expect(ladder.steps).toHaveLength(1);
    expect(ladder.steps[0]).toMatchObject({ step: 'first_warning', letter_reference: 'B-1/KOMDIGI/2026' });
    expect(ladder.steps[0].answered_at).not.toBeNull();
    expect(ladder.next_step).toBe('second_warning');
    const thread = (
      await server.app.request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: analyst })
    ).json().items as { body: string }[];
    expect(thread.some((m) => m.body.includes('kanal sedang ditinjau sekarang'))).toBe(true);

    expect(ministry.problems).toEqual([]);
    expect(platform.problems).toEqual([]);
    expect(barriers).toEqual([]);
  }, 120_000);
});
