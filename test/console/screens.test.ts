import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import type { Caller } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import {
  accessibilityProblems,
  type ConsoleServer,
  hasBrowser,
  launchBrowser,
  screenshot,
  startConsoleServer,
  watch,
} from './support/browser.ts';

/**
 * The console's working screens beyond the main flow, each driven in a real browser as the
 * person who uses it: the flagger organisation's administrator (bulk upload, webhooks and
 * their delivery log, API keys, an objection with an attachment), the platform's admin
 * (users, jurisdictions, hash banks, the transparency report) and a lead (a flagger's
 * warning and status, prior cases, and the second reviewer's approval of a permanent
 * suspension), a reviewer answering an objection (SAMAN), and a hearing before a trusted
 * flagger's status is touched (DSA Art. 22(7)): opened by the lead, answered in the flagger's
 * portal, decided by the lead. One server and one browser for the file; the state each screen needs is
 * made through the API first. No console error and no failed request on any page.
 */
let server: ConsoleServer;
let browser: Browser;
let receiver: Receiver;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];
const a11y: string[] = [];

const grounds = {
  illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Sintetis: propaganda kelompok teror.' },
};

async function open(name: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Jakarta', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  problems.push(watch(page, name));
  return page;
}

async function login(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.goto(`${server.url}/`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.getByTestId('whoami').waitFor();
}
const id = { email: 'Surel', password: 'Kata sandi', submit: 'Masuk' };
const en = { email: 'E-mail', password: 'Password', submit: 'Log in' };

const api = (method: string, url: string, as: Caller, payload?: unknown) =>
  server.app.request({
    method: method as 'GET',
    url,
    as,
    ...(payload ? { payload: payload as object } : {}),
  });

async function submit(as: Caller, target: string): Promise<{ noticeId: string; caseId: string }> {
  const r = await api('POST', '/v1/notices', as, {
    targets: [target],
    category: 'terrorism',
    explanation: 'Sintetis: kanal ini menyebarkan propaganda teror.',
    good_faith: true,
  });
  expect(r.statusCode, r.body).toBe(201);
  return { noticeId: r.json().notice_id, caseId: r.json().targets[0].case_id };
}
/** The ministry's row of the flaggers screen: Details opens its panel, or closes it. */
const toggleKomdigiPanel = (page: Page) =>
  page
    .locator('tr')
    .filter({ hasText: 'Kementerian Komunikasi' })
    .first()
    .getByRole('button', { name: 'Details' })
    .click();

async function decide(as: Caller, caseId: string, body: Record<string, unknown>) {
  expect((await api('POST', `/v1/cases/${caseId}/claim`, as)).statusCode).toBe(200);
  const r = await api('POST', `/v1/cases/${caseId}/decisions`, as, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { decision_id: string; status: string };
}

const pageProblems = (name: string) => problems.flat().filter((p) => p.startsWith(`${name}:`));

beforeAll(async () => {
  if (!hasBrowser) return;
  [server, browser, receiver] = await Promise.all([startConsoleServer(), launchBrowser(), startReceiver()]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

describe.skipIf(!hasBrowser)('the console’s working screens', () => {
  it('a flagger administrator: webhook and its log, bulk upload with row errors, API keys, an objection with a file', async () => {
    const page = await open('flagger admin', 'id-ID');
    await login(page, 'admin@komdigi.example', id);

    // Webhooks: registered with its secret shown once; the log fills as notices arrive.
    await page.getByRole('link', { name: 'Webhook' }).click();
    await page.getByTestId('empty').getByText('Belum ada webhook.').waitFor();
    await page.getByLabel('Alamat (https)').fill(`${receiver.url}/tapis`);
    await page.getByLabel('Keterangan').fill('<b>Penerima uji</b>');
    await page.getByRole('button', { name: 'Daftarkan webhook' }).click();
    await page.getByTestId('webhook-secret').locator('code').waitFor();
    expect((await page.getByTestId('webhook-secret').locator('code').textContent())?.length).toBeGreaterThan(
      20,
    );
    await page.getByRole('button', { name: 'Sudah saya salin' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    await page.getByTestId('webhook').getByText('<b>Penerima uji</b>').waitFor();
    a11y.push(...(await accessibilityProblems(page, 'webhooks')));

    // Bulk upload: one good row, one unparseable target, one unknown category.
    await page.getByRole('link', { name: 'Unggah massal' }).click();
    const csv = [
      'targets,category,explanation,good_faith,reference',
      'https://t.me/bulk_demo_ok/1,terrorism,Kanal ini menyebarkan propaganda teror,ya,B-1',
      't.me/ab,terrorism,Sasaran ini tidak dapat dibaca sistem,ya,B-2',
      'https://t.me/bulk_demo_bad/2,bukan_kategori,Kategori ini tidak ada di taksonomi,ya,B-3',
    ].join('\n');
    await page.getByLabel('Berkas (CSV atau JSONL)').setInputFiles({
      name: 'aduan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Unggah', exact: true }).click();
    await page.getByTestId('bulk-status').getByText('Selesai').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('bulk-counts').textContent()).toBe(
      '3 dari 3 diproses: 1 dibuat, 0 duplikat, 2 tidak sah',
    );
    const rows = page.getByTestId('bulk-row');
    await expect(rows.count()).resolves.toBe(2);
    expect(await rows.nth(0).textContent()).toContain('/targets/0');
    expect(await rows.nth(1).textContent()).toContain('/category');
    await screenshot(page, 'screens-bulk-upload', false);
    a11y.push(...(await accessibilityProblems(page, 'bulk upload')));

    // The notice the upload created reached the webhook: the log shows it, and it is redelivered.
    await page.getByRole('link', { name: 'Webhook' }).click();
    await page.getByRole('button', { name: 'Log pengiriman' }).click();
    const delivery = page.getByTestId('delivery').first();
    await delivery.waitFor({ timeout: 30_000 });
    expect(await delivery.textContent()).toContain('200');
    const before = receiver.received.length;
    await delivery.getByRole('button', { name: 'Kirim ulang' }).click();
    await page.getByText('Dijadwalkan untuk dikirim ulang.').waitFor();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(before);
    await screenshot(page, 'screens-webhook-log', false);
    await page.getByRole('button', { name: 'Nonaktifkan' }).click();
    await page.getByTestId('webhook').getByText('Dinonaktifkan').waitFor();

    // API keys: created with scopes, shown once, listed by prefix, revoked.
    await page.getByRole('link', { name: 'Kunci API' }).click();
    await page.getByTestId('empty').getByText('Belum ada kunci API.').waitFor();
    await page.getByLabel('Nama').fill('Integrasi SIMAS');
    await page.getByRole('checkbox', { name: /webhooks:manage/ }).uncheck();
    await page.getByRole('button', { name: 'Buat kunci' }).click();
    const shown = await page.getByTestId('new-key').locator('code').textContent();
    expect(shown).toMatch(/^tapis_/);
    const key = page.getByTestId('api-key').filter({ hasText: 'Integrasi SIMAS' });
    await key.waitFor();
    expect(await key.textContent()).not.toContain('webhooks:manage');
    expect(await page.locator('main').textContent()).toContain(shown!.slice(0, 8));
    a11y.push(...(await accessibilityProblems(page, 'api keys')));
    // The key works until it is revoked.
    const asKey = (k: string) =>
      fetch(`${server.url}/v1/notices`, { headers: { authorization: `Bearer ${k}` } }).then((r) => r.status);
    expect(await asKey(shown!)).toBe(200);
    await key.getByRole('button', { name: 'Cabut' }).click();
    await key.getByText('Dicabut').waitFor();
    expect(await asKey(shown!)).toBe(401);

    // The organisation's users: flagger roles only.
    await page.getByRole('link', { name: 'Pengguna' }).click();
    await page.getByTestId('user').filter({ hasText: 'analis@komdigi.example' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Analis' }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Peninjau' }).count()).toBe(0);

    // An objection to a decision, with a file attached, in the notice's thread.
    const analyst = await server.app.loginAs('analis@komdigi.example');
    const peninjau = await server.app.loginAs('peninjau@platform.example');
    const { noticeId, caseId } = await submit(analyst, 'https://t.me/objection_demo/3');
    await decide(peninjau, caseId, { outcome: 'no_action' });
    await page.goto(`${server.url}/portal/notices/${noticeId}`);
    await page.getByTestId('target-outcome').first().waitFor();
    await page.getByRole('combobox', { name: /^Kirim/ }).selectOption('objection');
    await page.getByLabel('Pesan', { exact: true }).fill('Kami keberatan: kanal ini jelas propaganda.');
    await page.getByLabel('Lampiran (berkas)').setInputFiles({
      name: 'surat-keberatan <b>.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Surat keberatan sintetis.'),
    });
    await page.getByRole('button', { name: 'Kirim', exact: true }).click();
    const attachment = page.getByTestId('thread').getByTestId('attachment');
    await attachment.waitFor();
    expect(await attachment.textContent()).toContain('surat-keberatan');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      attachment.getByRole('button').click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe('Surat keberatan sintetis.');
    const thread = (await api('GET', `/v1/notices/${noticeId}/thread`, analyst)).json().items as {
      kind: string;
      attachments: unknown[];
    }[];
    expect(thread.find((m) => m.kind === 'objection')?.attachments).toHaveLength(1);
    await screenshot(page, 'screens-objection-attachment', false);

    expect(pageProblems('flagger admin')).toEqual([]);
  }, 120_000);

  it('an admin: users by organisation kind, a jurisdiction, a hash bank import and export, the transparency report', async () => {
    const page = await open('admin', 'en-GB');
    await login(page, 'admin@platform.example', en);

    // Users: a platform user gets platform roles; a flagger organisation's, flagger roles.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('user').first().waitFor();
    expect(await page.getByRole('checkbox', { name: 'Reviewer' }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Analyst' }).count()).toBe(0);
    await page.getByLabel('E-mail address').fill('baru@platform.example');
    await page.getByLabel('Name', { exact: true }).fill('Reviewer Baru');
    await page.getByRole('checkbox', { name: 'Reviewer' }).check();
    await page.getByRole('button', { name: 'Create the user' }).click();
    expect((await page.getByTestId('new-password').locator('code').textContent())!.length).toBeGreaterThan(
      11,
    );
    const created = page.getByTestId('user').filter({ hasText: 'baru@platform.example' });
    await created.getByRole('button', { name: 'Disable' }).click();
    await created.getByText('Disabled').waitFor();
    a11y.push(...(await accessibilityProblems(page, 'users')));
    await page.getByLabel('Organisation').selectOption('komdigi');
    await page.getByRole('heading', { name: 'Users of komdigi' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Analyst' }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Reviewer' }).count()).toBe(0);

    // A jurisdiction's record: the single point of contact changes; the roster stays.
    await page.getByRole('link', { name: 'Jurisdictions' }).click();
    await page.getByRole('button', { name: 'Details ID' }).click();
    const record = page.getByTestId('jurisdiction-record');
    await record.getByText('Legal representative').waitFor();
    await record.getByRole('button', { name: 'Edit the record' }).click();
    const form = page.getByTestId('jurisdiction-form');
    await form
      .getByRole('group', { name: 'Single point of contact' })
      .getByLabel('Name')
      .fill('Kontak Baru <b>x</b>');
    await form.getByRole('button', { name: 'Save the record' }).click();
    await record.getByText('Kontak Baru <b>x</b>').waitFor();
    const roster = await server.app.ctx.db
      .selectFrom('jurisdictions')
      .select('escalation_roster')
      .where('code', '=', 'ID')
      .executeTakeFirstOrThrow();
    expect(roster.escalation_roster).not.toEqual([]);
    a11y.push(...(await accessibilityProblems(page, 'jurisdictions')));

    // A hash bank: created, filled from a CSV (a bad row says why), exported.
    await page.getByRole('link', { name: 'Hash banks' }).click();
    await page.getByLabel('Name', { exact: true }).fill('console-uji');
    await page.getByRole('button', { name: 'Create the bank' }).click();
    await page.getByTestId('bank').filter({ hasText: 'console-uji' }).waitFor();
    await page.getByRole('combobox', { name: /^Bank/ }).selectOption({ label: 'console-uji' });
    await page.getByLabel('CSV file').setInputFiles({
      name: 'bank.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`signal_type,signal,source\nmd5,${'ab'.repeat(16)},console\nmd5,,console\n`),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-result').getByText('1 added, 0 duplicates, 1 refused.').waitFor();
    expect(await page.getByTestId('import-row').textContent()).toContain(
      'signal_type and signal are required',
    );
    const bank = page.getByTestId('bank').filter({ hasText: 'console-uji' });
    await bank.getByTestId('bank-entries').getByText('md5: 1').waitFor();
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      bank.getByRole('button', { name: /Export/ }).click(),
    ]);
    expect(readFileSync((await exported.path())!, 'utf8')).toContain('ab'.repeat(16));
    a11y.push(...(await accessibilityProblems(page, 'banks')));

    // The transparency report: charts drawn, every table, the downloads.
    await page.getByRole('link', { name: 'Transparency report' }).click();
    await page.getByTestId('report').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="chart"][data-drawn="true"] canvas').count()).toBe(5);
    await page.getByTestId('table-notices_by_source').locator('tbody tr').first().waitFor();
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(Object.keys(report.tables)).toContain('notices_by_source');
    await page.getByLabel('Table').selectOption('notices_by_category');
    const [csvFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the table as CSV' }).click(),
    ]);
    expect(readFileSync((await csvFile.path())!, 'utf8').split('\n')[0]).toContain('category');
    await screenshot(page, 'screens-transparency-report', false);
    a11y.push(...(await accessibilityProblems(page, 'transparency report')));
    // The same page in Indonesian.
    await page.getByLabel('Language').selectOption('id');
    await page.getByRole('heading', { name: 'Laporan transparansi' }).waitFor();
    await page.getByRole('heading', { name: 'Aduan menurut sumber' }).waitFor();

    expect(pageProblems('admin')).toEqual([]);
  }, 120_000);

  it('a lead: warns a notifier and suspends it, sees prior cases, approves a permanent suspension as the second reviewer', async () => {
    const analyst = await server.app.loginAs('analis@komdigi.example');
    const peninjau = await server.app.loginAs('peninjau@platform.example');
    // An earlier case on a message of the channel, decided; then the channel, suspended
    // for good by one reviewer: the four-eyes rule holds it for a second.
    const earlier = await submit(analyst, 'https://t.me/foureyes_demo/5');
    await decide(peninjau, earlier.caseId, { outcome: 'no_action' });
    const channel = await submit(analyst, '@foureyes_demo');
    const pending = await decide(peninjau, channel.caseId, {
      outcome: 'suspend',
      grounds,
      suspension: { target: 'channel', permanent: true },
      acknowledge_irreversible: true,
    });
    expect(pending.status).toBe('pending_approval');

    const page = await open('lead', 'en-GB');
    await login(page, 'lead@platform.example', en);

    // The flagger screen: a warning first (DSA Art. 23(2)), then the suspension.
    await page.getByRole('link', { name: 'Flaggers' }).click();
    const ngoRow = page.locator('tr').filter({ hasText: 'ngo' }).first();
    await ngoRow.getByRole('button', { name: 'Details' }).click();
    await page.getByText('No warning.').waitFor();
    await page
      .getByLabel('Why: manifestly unfounded notices')
      .fill('Sintetis: <script>x</script> aduan tidak berdasar.');
    await page.getByRole('button', { name: 'Issue the warning' }).click();
    await page
      .getByTestId('warnings')
      .getByText('Sintetis: <script>x</script> aduan tidak berdasar.')
      .waitFor();
    await page.getByLabel('New status').selectOption('suspended');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Suspended until').fill(until);
    await page.getByLabel('Reasons').fill('Sintetis: aduan tidak berdasar berulang setelah peringatan.');
    await page.getByRole('button', { name: 'Decide the status' }).click();
    await page.getByText('The status is changed and recorded.').waitFor();
    await page
      .locator('li')
      .filter({ hasText: 'aduan tidak berdasar berulang' })
      .getByText('Suspended')
      .waitFor();
    await page.getByTestId('annual-report').waitFor();
    await screenshot(page, 'screens-flagger-status', false);
    a11y.push(...(await accessibilityProblems(page, 'flaggers')));

    // The case view: prior cases on the same chat, and the decision waiting for approval.
    await page.goto(`${server.url}/desk/cases/${channel.caseId}`);
    const prior = page.getByTestId('prior-case');
    await prior.first().waitFor();
    expect(await prior.count()).toBe(1);
    expect(await prior.first().textContent()).toContain('telegram:message:foureyes_demo/5');
    expect(await prior.first().textContent()).toContain('Same chat');
    expect(await prior.first().textContent()).toContain('No action');
    await page.getByText('Waiting for approval').waitFor();
    a11y.push(...(await accessibilityProblems(page, 'case view with approval')));
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Waiting for approval').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await api('GET', `/v1/cases/${channel.caseId}`, peninjau)).json().status, {
        timeout: 20_000,
      })
      .not.toBe('pending_approval');
    const events = (await api('GET', `/v1/cases/${channel.caseId}`, peninjau)).json().events as {
      type: string;
    }[];
    expect(events.map((e) => e.type)).toContain('approved');
    await screenshot(page, 'screens-four-eyes-approved', false);

    expect(pageProblems('lead')).toEqual([]);
    expect(a11y).toEqual([]);
  }, 120_000);
  it('a reviewer: answers an objection from the objections desk, and its author never sees it', async () => {
    const analyst = await server.app.loginAs('analis@komdigi.example');
    const peninjau = await server.app.loginAs('peninjau@platform.example');
    const { noticeId, caseId } = await submit(analyst, 'https://t.me/sanggah_demo/8');
    await decide(peninjau, caseId, { outcome: 'no_action' });
    const grounds = 'Sanggahan sintetis: kanal ini jelas menyebarkan propaganda, mohon ditinjau ulang.';
    const lodged = await api('POST', `/v1/notices/${noticeId}/objections`, analyst, { grounds });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const objectionId = lodged.json().objection_id as string;

    // The reviewer who made the decision is not offered it.
    const hers = (await api('GET', '/v1/objections', peninjau)).json().items as { id: string }[];
    expect(hers.map((o) => o.id)).not.toContain(objectionId);

    // Dewi Penelaah works in Indonesian: the console speaks her language after login.
    const page = await open('reviewer', 'en-GB');
    await login(page, 'penelaah@platform.example', en);
    await page.getByRole('link', { name: 'Sanggahan' }).click();
    const card = page.getByTestId('objection').filter({ hasText: 'Sanggahan sintetis' });
    await card.waitFor();
    expect(await card.getByTestId('objection-grounds').textContent()).toBe(grounds);
    expect(await card.textContent()).toContain('Batas jawaban');
    const barriers = await accessibilityProblems(page, 'objections');
    await screenshot(page, 'screens-objection-desk', false);
    await card.getByLabel(/^Dibuka kembali/).check();
    await card
      .getByLabel(/^Alasan/)
      .fill('The channel was looked at again: it goes back for a new decision.');
    await card.getByRole('button', { name: 'Kirim jawaban' }).click();
    await page
      .getByTestId('objection-done')
      .getByText(/^Sanggahan dijawab: Dibuka kembali/)
      .waitFor();
    await card.waitFor({ state: 'detached' });

    const answered = (await api('GET', `/v1/objections/${objectionId}`, analyst)).json();
    expect(answered).toMatchObject({ status: 'answered', outcome: 'reopened' });
    expect(answered.answer).toContain('goes back for a new decision');
    // The notifier hears of it in the notice's thread.
    const thread = (await api('GET', `/v1/notices/${noticeId}/thread`, analyst)).json().items as {
      body: string;
    }[];
    expect(thread.some((m) => m.body.includes('goes back for a new decision'))).toBe(true);

    expect(pageProblems('reviewer')).toEqual([]);
    expect(barriers).toEqual([]);
  }, 120_000);
  it('a hearing: the lead opens it, the trusted flagger answers in its portal, the lead decides', async () => {
    const lead = await server.app.loginAs('lead@platform.example');
    const leadPage = await open('hearing lead', 'en-GB');
    await login(leadPage, 'lead@platform.example', en);
    await leadPage.getByRole('link', { name: 'Flaggers' }).click();
    await toggleKomdigiPanel(leadPage);
    const opening = leadPage.getByRole('form', { name: 'Open a hearing' });
    await opening.getByLabel('Proposed measure').selectOption('suspend');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await opening.getByLabel('until', { exact: true }).fill(until);
    const why = 'Synthetic grounds: most notices of the last quarter named lawful news channels.';
    await opening.getByLabel('Grounds (sent to the organisation)').fill(why);
    await opening.getByRole('button', { name: 'Open the hearing' }).click();
    const leadCard = leadPage.getByTestId('flagger-hearing').filter({ hasText: why });
    await leadCard.getByText('waiting for the answer').waitFor();
    const barriers = await accessibilityProblems(leadPage, 'flagger hearings');

    // The organisation hears of it in its portal and answers, in Indonesian.
    const portal = await open('hearing flagger', 'id-ID');
    await login(portal, 'admin@komdigi.example', id);
    await portal.getByRole('link', { name: 'Dengar pendapat' }).click();
    const card = portal.getByTestId('hearing').filter({ hasText: why });
    await card.waitFor();
    expect(await card.textContent()).toContain('Diusulkan penangguhan status tepercaya');
    const reply = 'Jawaban sintetis: kanal-kanal itu menyiarkan ulang propaganda; bukti terlampir di utas.';
    await card.getByLabel('Jawaban Anda').fill(reply);
    await card.getByRole('button', { name: 'Kirim jawaban' }).click();
    await card.getByTestId('hearing-answer').getByText(reply).waitFor();
    barriers.push(...(await accessibilityProblems(portal, 'my hearings')));
    await screenshot(portal, 'screens-hearing-answered', false);

    // Answered, the lead decides: the status is kept. The panel, closed and opened again,
    // reads the hearings afresh (a reload would abort what the page has in flight).
    await toggleKomdigiPanel(leadPage);
    await toggleKomdigiPanel(leadPage);
    await leadCard.getByTestId('hearing-answer').getByText(reply).waitFor();
    const deciding = leadCard.getByRole('form', { name: 'Decide after the hearing' });
    await deciding.getByLabel('Trusted status kept').check();
    await deciding
      .getByLabel('Reasons')
      .fill('The answer shows the channels re-broadcast propaganda: the status stays.');
    await deciding.getByRole('button', { name: 'Record the decision' }).click();
    await leadCard.getByTestId('hearing-decision').getByText('Trusted status kept').waitFor();

    const hearings = (await api('GET', '/v1/flaggers/komdigi/hearings', lead)).json().items as {
      grounds: string;
      status: string;
      decision: string;
      answer: string;
    }[];
    expect(hearings.find((h) => h.grounds === why)).toMatchObject({
      status: 'decided',
      decision: 'keep',
      answer: reply,
    });
    expect((await api('GET', '/v1/flaggers/komdigi', lead)).json().flagger_status).toBe('trusted');
    expect(pageProblems('hearing lead')).toEqual([]);
    expect(pageProblems('hearing flagger')).toEqual([]);
    expect(barriers).toEqual([]);
  }, 120_000);
  it('a data request: the ministry asks in its portal, the lead approves it in part, the ministry downloads the package', async () => {
    const lead = await server.app.loginAs('lead@platform.example');
    const ministry = await open('data ministry', 'id-ID');
    await login(ministry, 'analis@komdigi.example', id);
    await ministry.getByRole('link', { name: 'Permintaan data' }).click();
    const form = ministry.getByRole('form', { name: 'Permintaan data baru' });
    await form.getByLabel('Referensi Anda (nomor surat)').fill('B-77/KOMDIGI/DATA/2026');
    await form.getByLabel('Akun atau kanal (tautan t.me atau @nama)').fill('@data_demo');
    await form
      .getByLabel('Dasar hukum', { exact: true })
      .fill('Permenkominfo No. 5 Tahun 2020, Pasal 36 (sintetis)');
    await form.getByLabel('Keputusan', { exact: true }).check();
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Dari', { exact: true }).fill(day(30));
    await form.getByLabel('Sampai', { exact: true }).fill(day(0));
    await form.getByRole('button', { name: 'Kirim permintaan' }).click();
    await form.getByText('Permintaan data terkirim.').waitFor();
    const mine = ministry.getByTestId('data-request').filter({ hasText: 'B-77/KOMDIGI/DATA/2026' });
    expect(await mine.getByTestId('data-request-status').textContent()).toBe('diterima');
    const barriers = await accessibilityProblems(ministry, 'data requests, ministry');

    const desk = await open('data lead', 'en-GB');
    await login(desk, 'lead@platform.example', en);
    await desk.getByRole('link', { name: 'Data requests' }).click();
    const card = desk.getByTestId('data-request').filter({ hasText: 'B-77/KOMDIGI/DATA/2026' });
    expect(await card.textContent()).toContain('Answer due');
    const deciding = card.getByRole('form', { name: 'Decide the request' });
    await deciding.getByLabel('Approve in part').check();
    await deciding
      .getByLabel('Reasons (sent to the requester)')
      .fill('The subject only: the rest is outside the stated basis.');
    await deciding.getByRole('button', { name: 'Record the decision' }).click();
    await card.getByTestId('data-request-status').getByText('partly approved').waitFor();
    barriers.push(...(await accessibilityProblems(desk, 'data requests, lead')));
    await screenshot(desk, 'screens-data-request-decided', false);

    const listed = (await api('GET', '/v1/data-requests', lead)).json().items as {
      id: string;
      reference: string;
      status: string;
      disclosed_categories: string[];
    }[];
    const decided = listed.find((r) => r.reference === 'B-77/KOMDIGI/DATA/2026')!;
    expect(decided).toMatchObject({ status: 'partly_approved', disclosed_categories: ['subject'] });

    // The ministry downloads what was disclosed: a manifest of digests.
    // Away and back within the app: the list is read afresh (a reload would abort what the
    // page has in flight).
    await ministry.getByRole('link', { name: 'Aduan saya' }).click();
    await ministry.getByRole('link', { name: 'Permintaan data' }).click();
    await mine.getByTestId('data-request-status').getByText('disetujui sebagian').waitFor();
    const [download] = await Promise.all([
      ministry.waitForEvent('download'),
      mine.getByRole('button', { name: 'Unduh paket pengungkapan' }).click(),
    ]);
    const pack = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(JSON.stringify(pack)).toContain('sha256');
    expect(pageProblems('data ministry')).toEqual([]);
    expect(pageProblems('data lead')).toEqual([]);
    expect(barriers).toEqual([]);
  }, 120_000);
});
