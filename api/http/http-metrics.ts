import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: MiddlewareHandler;
  /** One answered request, for a handler that answers before the middleware runs (the hot path). */
  record(method: string, route: string, status: number, seconds: number): void;
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
  // prom-client hashes a label object on every inc/observe; the children are looked up once per label set.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const record = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = { count: requests.labels(method, route, String(status)), time: duration.labels(method, route) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
  const middleware: MiddlewareHandler = async (c, next) => {
    const t0 = performance.now();
    try {
      await next();
    } finally {
      // The handler that answered; a path no route matched is one label, not one per path.
      const pattern = c.req.routeIndex >= 0 ? routePath(c) : '';
      const route = !pattern || pattern === '/*' || pattern === '*' ? 'unmatched' : pattern;
      record(c.req.method, route, c.res.status, (performance.now() - t0) / 1000);
    }
  };
  return { registry, middleware, record };
}
