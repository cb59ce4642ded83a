import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { type Running, startTapis } from '../../src/runtime/start.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';

/**
 * Defect 7 of issue 15: /metrics must be kept off the public port. With TAPIS_METRICS_PORT
 * set, the public port answers 404 for it and a listener of its own serves it (asking for
 * TAPIS_METRICS_TOKEN when that is set too), and serves nothing else.
 */
const token = 'synthetic-metrics-token-0123';
let shared: SharedStore;
let running: Running;

beforeAll(async () => {
  shared = await createSharedStore();
  const store = await shared.open();
  await migrateToLatest(store);
  await store.close();
  running = await startTapis(
    loadConfig(
      {
        ...shared.env,
        PORT: '0',
        LOG_LEVEL: 'silent',
        TAPIS_WORKERS: 'false',
        TAPIS_METRICS_PORT: '0',
        TAPIS_METRICS_TOKEN: token,
      },
      '/nonexistent',
    ),
  );
});
afterAll(async () => {
  await running?.stop();
  await shared.dispose();
});

describe('TAPIS_METRICS_PORT', () => {
  it('serves /metrics on its own listener only, behind the token', async () => {
    expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metricsPort = new URL(running.metricsUrl!).port;
    expect(metricsPort).not.toBe(new URL(running.url).port);

    const publicAnswer = await fetch(`${running.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(publicAnswer.status).toBe(404);
    expect(publicAnswer.headers.get('content-type')).toContain('application/problem+json');
    expect(await publicAnswer.text()).not.toContain('tapis_http_requests_total');

    expect((await fetch(running.metricsUrl!)).status).toBe(401);
    expect((await fetch(running.metricsUrl!, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    const scraped = await fetch(running.metricsUrl!, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const text = await scraped.text();
    // The public port's own requests are counted there.
    expect(text).toMatch(/tapis_http_requests_total\{method="GET",route="\/metrics",status="404"\} 1/);

    // Nothing but /metrics: not the API, not the console.
    for (const path of ['/v1/me', '/readyz', '/', '/metrics/../v1/me'])
      expect((await fetch(new URL(path, running.metricsUrl!))).status, path).toBe(404);
    expect((await fetch(running.metricsUrl!, { method: 'POST' })).status).toBe(404);
  });
});
