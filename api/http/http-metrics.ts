import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

/**
 * Request counts and latency by route pattern (`/products/:id`, never the raw path, so the label
 * set stays small), on the app's own registry.
 */
export function createHttpMetrics(opts: { defaultMetrics?: boolean } = {}): HttpMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to the response headers, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const t0 = performance.now();
    try {
      await next();
    } finally {
      // The handler that answered; a path no route matched is one label, not one per path.
      const pattern = c.req.routeIndex >= 0 ? routePath(c) : '';
      const route = !pattern || pattern === '/*' || pattern === '*' ? 'unmatched' : pattern;
      const method = c.req.method;
      requests.inc({ method, route, status: String(c.res.status) });
      duration.observe({ method, route }, (performance.now() - t0) / 1000);
    }
  };
  return { registry, middleware };
}
