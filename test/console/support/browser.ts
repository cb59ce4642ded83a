import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { OutboxWorker } from '../../../src/outbox/worker.ts';
import { outboxHandlers } from '../../../src/runtime/workers.ts';
import { createTestApp, type TestApp } from '../../support/app.ts';
import type { TestClock } from '../../support/clock.ts';
import { FakePlatformApi } from '../../support/fake-platform-api.ts';
import { ensureConsoleBuilt } from './build.ts';

/** Debian's chromium (`apt-get install -y chromium`); the browser tests skip without it. */
export const CHROMIUM = process.env.TAPIS_CHROMIUM ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(
    `\n[console tests] SKIPPED: no browser at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (.ci/run does) or set TAPIS_CHROMIUM.\n`,
  );
}

export const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-results', 'console');

export interface ConsoleServer {
  url: string;
  app: TestApp;
  platform: FakePlatformApi;
  stop(): Promise<void>;
}

const PLATFORM_SECRET = 'console-test-platform-secret';

/**
 * A real tapis server on a free port, with the demo accounts, the enforcement connector
 * pointed at a local stand-in for the platform's moderation API, and the outbox worked in
 * the background, so that a decision acts as it would in production. Real time: the
 * browser's countdowns and the session cookie's expiry are read against the wall clock.
 */
export async function startConsoleServer(): Promise<ConsoleServer> {
  ensureConsoleBuilt();
  // The wall clock, which a test may move ahead (server.app.clock.advance): a deadline that
  // must pass (a breached order) passes without waiting hours. The browser keeps real time.
  let offset = 0;
  const clock = Object.assign(() => new Date(Date.now() + offset), {
    set: (at: Date | string) => {
      offset = new Date(at).getTime() - Date.now();
    },
    advance: (ms: number) => {
      offset += ms;
    },
  }) as TestClock;
  const platform = await FakePlatformApi.start({ secret: PLATFORM_SECRET, now: clock });
  const app = await createTestApp({
    clock,
    env: {
      TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
      TAPIS_PLATFORM_WEBHOOK_URL: platform.url,
      TAPIS_PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET,
    },
  });
  await app.server.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.app.server.address() as AddressInfo;
  const worker = new OutboxWorker({
    db: app.ctx.db,
    clock,
    log: app.ctx.log,
    handlers: outboxHandlers(app.ctx),
  });
  let running = true;
  const loop = (async () => {
    while (running) {
      const handled = await worker.runOnce().catch(() => 0);
      if (!handled) await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    platform,
    async stop() {
      running = false;
      await loop;
      await app.close();
      await platform.stop();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/**
 * Everything that went wrong in a page: console errors, uncaught exceptions, failed
 * requests and answers of 400 or more. The tests expect it empty.
 */
export function watch(page: Page, name: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${name}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download the page hands to the browser is "aborted" once saved: not a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.url().startsWith('blob:')) return;
    problems.push(`${name}: request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${name}: ${r.status()} from ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/**
 * Moves within the app as its own links do (history, then popstate): a page.goto would reload
 * the app and abort the requests the last screen still had in flight, which `watch` counts.
 */
export async function goWithinApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    // The page's own globals (this file is type-checked without the DOM's types).
    const w = globalThis as unknown as {
      history: { pushState(state: null, title: string, url: string): void };
      dispatchEvent(event: unknown): void;
      PopStateEvent: new (type: string) => unknown;
    };
    w.history.pushState(null, '', to);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, path);
}

let shot = 0;
/** The flow's numbered screenshots of this run only (other test files keep theirs). */
export function clearArtifacts(): void {
  if (!existsSync(ARTIFACTS)) return;
  for (const name of readdirSync(ARTIFACTS)) if (/^\d\d-/.test(name)) rmSync(join(ARTIFACTS, name));
}
const started = Date.now();
export async function screenshot(page: Page, name: string, numbered = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (numbered) shot++;
  if (process.env.TAPIS_CONSOLE_TIMING) console.log(`${((Date.now() - started) / 1000).toFixed(1)}s ${name}`);
  const file = numbered ? `${String(shot).padStart(2, '0')}-${name}.png` : `${name}.png`;
  await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now. It is evaluated
 * through the DevTools protocol, which the page's CSP does not govern (an injected inline
 * script would rightly be refused).
 */
export async function accessibilityProblems(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}
