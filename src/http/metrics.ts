import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Clock } from '../core/clock.ts';
import { registerOutboxMetrics } from '../outbox/metrics.ts';
import type { Db } from '../store/db.ts';

/** Prometheus figures: requests and latency by route, the outbox lanes, plus the process's own. */
export function registerMetrics(app: FastifyInstance, store?: { db: Db; clock: Clock }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tapis_' });
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
