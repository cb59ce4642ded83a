import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../core/clock.ts';
import { registerOutboxMetrics } from '../outbox/metrics.ts';
import type { Db } from '../store/db.ts';

/** Prometheus figures: requests and latency by route, the outbox lanes, plus the process's own. */
export function registerMetrics(app: FastifyInstance, store?: { db: Db; clock: Clock }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tapis_' });
  registerHeapFloor(app, registry);
  if (store) registerOutboxMetrics(registry, store.db, store.clock);
  const requests = new Counter({
    name: 'tapis_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tapis_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so that ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}

/**
 * The heap in use just after the last full garbage collection: what the process keeps, without
 * the garbage that piles up between collections. Heap used and RSS swing by 100 MB and more
 * with the collector's timing, and V8 grows its heap under heavy allocation, so neither shows a
 * leak by itself; a floor that keeps rising does. Read when the collection's entry arrives
 * (shortly after it), so it includes what was allocated meanwhile.
 */
function registerHeapFloor(app: FastifyInstance, registry: Registry): void {
  const floor = new Gauge({
    name: 'tapis_nodejs_heap_after_full_gc_bytes',
    help: 'V8 heap used just after the last full (mark-compact) garbage collection; 0 before the first',
    registers: [registry],
  });
  const observer = new PerformanceObserver((list) => {
    const major = list
      .getEntries()
      .some(
        (entry) =>
          ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ===
          constants.NODE_PERFORMANCE_GC_MAJOR,
      );
    if (major) floor.set(process.memoryUsage().heapUsed);
  });
  observer.observe({ entryTypes: ['gc'] });
  app.addHook('onClose', async () => observer.disconnect());
}
