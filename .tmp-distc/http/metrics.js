import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
/** Prometheus figures: requests and latency by route, plus the process's own. */
export function registerMetrics(app) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'tapis_' });
    const requests = new Counter({
        name: 'tapis_http_requests_total',
        help: 'HTTP requests by method, route and status',
        labelNames: ['method', 'route', 'status'],
        registers: [registry],
    });
    const latency = new Histogram({
        name: 'tapis_http_request_duration_seconds',
        help: 'HTTP request latency by method and route',
        labelNames: ['method', 'route'],
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
