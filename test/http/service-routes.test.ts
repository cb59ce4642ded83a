import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('the service routes', () => {
  it('say the process is up and the database ready', async () => {
    expect((await app.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
  });

  it('count requests and latency by route pattern, not by URL', async () => {
    await app.request({ method: 'GET', url: '/v1/orgs/komdigi' });
    await app.request({ method: 'GET', url: '/v1/orgs/ngo' });
    const text = (await app.request({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /tapis_http_requests_total\{method="GET",route="\/v1\/orgs\/:slug",status="401"\} 2/,
    );
    expect(text).toMatch(
      /tapis_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/orgs\/:slug"\}/,
    );
    expect(text).toMatch(/tapis_process_resident_memory_bytes/);
  });

  it('give the heap kept after the last full garbage collection', async () => {
    const floor = async () =>
      Number(
        /^tapis_nodejs_heap_after_full_gc_bytes (\S+)$/m.exec(
          (await app.request({ method: 'GET', url: '/metrics' })).body,
        )?.[1],
      );
    expect(await floor()).toBeGreaterThanOrEqual(0);
    // A full collection, forced: V8's gc() in a context made after exposing it.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    // The collection's performance entry arrives shortly after it.
    let kept = 0;
    for (let i = 0; i < 50 && kept === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      kept = await floor();
    }
    expect(kept).toBeGreaterThan(1_000_000);
    expect(kept).toBeLessThanOrEqual(process.memoryUsage().heapTotal);
  });

  it('publish an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const login = doc.paths['/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    expect(login.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    // Every /v1 route of the server is documented.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const routes = app.server.routes
      .filter((r) => r.url.startsWith('/v1/'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('explain each problem type at its address', async () => {
    const response = await app.request({ method: 'GET', url: '/problems/rate-limited' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/Retry-After/);
  });
});
