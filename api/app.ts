import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import type { ApiDeps } from './deps.ts';
import type { App, AppEnv } from './http/app-env.ts';
import { createDeadlines } from './http/deadline.ts';
import { createEnvelope, headerOf, type Envelope } from './http/envelope.ts';
import { createErrorHandler } from './http/error-handler.ts';
import { createHttpMetrics, type HttpMetrics } from './http/http-metrics.ts';
import { opsAuth } from './http/ops-auth.ts';
import { problem, sendProblem } from './http/problem.ts';
import { validationHook } from './http/validation.ts';
import { registerCategoryRoutes } from './routes/categories.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerImageRoutes } from './routes/images.ts';
import { registerOpsActionRoutes } from './routes/ops-actions.ts';
import { registerOpsOverviewRoutes } from './routes/ops-overview.ts';
import { registerOrderRoutes } from './routes/orders.ts';
import { registerProductRoutes } from './routes/products.ts';
import { createHomeHotPath } from './routes/home-hot-path.ts';
import { createHomeHeaders, createHomeResponder } from './routes/home-responder.ts';
import { registerRecommendationRoutes } from './routes/recommendations.ts';
import { registerStreamRoutes } from './routes/recommendation-stream.ts';
import { registerUserRoutes } from './routes/users.ts';

const STREAM_PATH = '/recommendations/stream';

function useMiddleware(app: App, deps: ApiDeps, metrics: HttpMetrics, envelope: Envelope): void {
  const { config } = deps;
  // Each layer below costs every request an await; the conditional ones return next() directly.
  app.use(metrics.middleware);
  app.use(envelope.middleware);
  const corsFor = cors({
    origin: config.corsOrigins,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Last-Event-ID'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  // Browsers send Origin on every cross-origin request; without one there is nothing to allow, and
  // cors() would touch c.res before the handler, which costs a full Response on @hono/node-server.
  app.use((c, next) => (headerOf(c, 'origin') ? corsFor(c, next) : next()));
  const limitBody = bodyLimit({
    maxSize: config.bodyLimitBytes,
    // 400 rather than 413: to a client it is one more thing wrong with the request, named in errors.
    onError: (c) =>
      sendProblem(
        c,
        problem(400, {
          detail: `bodies are limited to ${config.bodyLimitBytes} bytes`,
          errors: [{ path: 'body', message: `larger than ${config.bodyLimitBytes} bytes` }],
        }),
      ),
  });
  // bodyLimit reads c.req.raw.body, which makes @hono/node-server build a full Request (and an
  // AbortController) for every request: measured at several times the cost of a whole GET here.
  app.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  // An event stream is meant to stay open: every other request gets the timeout.
  const deadlines = createDeadlines(
    config.requestTimeoutMs,
    () => new HTTPException(504, { message: 'request timed out' }),
  );
  app.use((c, next) => (c.req.path === STREAM_PATH ? next() : deadlines.run(c, next())));
  app.use('/images/*', etag());
  app.use('/ops/*', opsAuth(config.opsToken));
}

function useDocs(app: App, publicUrl: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'opsToken', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'shop-reco API',
      version: '1.0.0',
      description: 'Recommendations, catalogue and orders for the storefront; ops endpoints for operators.',
    },
    servers: [{ url: publicUrl }],
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
}

/**
 * The whole HTTP surface from its deps: no I/O of its own, so `app.request()` tests can pass fakes.
 * `app` is the documented API; `listener` is what serves, with the hot /home read in front of it.
 */
export function createApp(
  deps: ApiDeps,
  opts: { defaultMetrics?: boolean } = {},
): { app: App; metrics: HttpMetrics; listener: RequestListener } {
  const app: App = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const metrics = createHttpMetrics(opts);
  // The storefront and its <img> tags live on another origin: resources must be loadable cross-origin.
  const envelope = createEnvelope({ crossOriginResourcePolicy: 'cross-origin' });
  useMiddleware(app, deps, metrics, envelope);
  // One set of headers per answer, for the documented route and the hot path alike.
  const headersOf = createHomeHeaders(envelope);
  registerRecommendationRoutes(app, deps, createHomeResponder(envelope, headersOf));
  registerStreamRoutes(app, deps);
  registerProductRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerImageRoutes(app, deps);
  registerOrderRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerHealthRoutes(app, deps, metrics.registry);
  registerOpsOverviewRoutes(app, deps);
  registerOpsActionRoutes(app, deps);
  useDocs(app, deps.config.publicUrl);
  app.notFound((c) => sendProblem(c, problem(404, { detail: `no route for ${c.req.method} ${c.req.path}` })));
  app.onError(createErrorHandler(deps.logger));
  const hot = createHomeHotPath({ home: deps.home, envelope, metrics, headersOf });
  const documented = getRequestListener(app.fetch);
  const listener: RequestListener = (req, res) => {
    if (!hot(req, res)) void documented(req, res);
  };
  return { app, metrics, listener };
}
