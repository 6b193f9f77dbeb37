import { createRoute, z } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';

const healthBody = z
  .object({
    status: z.enum(['ok', 'degraded']),
    dependencies: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['ops'],
  summary: "Each dependency's state (database, broker, live feed); 503 when one is down",
  responses: {
    200: { description: 'all up', content: { 'application/json': { schema: healthBody } } },
    503: { description: 'something is down', content: { 'application/json': { schema: healthBody } } },
  },
});

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: ApiDeps['health'][number]): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer in ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check(), timeout]);
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz says the process serves (the supervisor's probe); /health says what it depends on. */
export function registerHealthRoutes(app: App, deps: ApiDeps, registry: Registry): void {
  app.get('/healthz', (c) => c.text('ok\n'));
  app.openapi(health, async (c) => {
    const results = await Promise.all(deps.health.map(async (h) => [h.name, await runCheck(h)] as const));
    const ok = results.every(([, r]) => r.ok);
    return c.json({ status: ok ? 'ok' : 'degraded', dependencies: Object.fromEntries(results) }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
}
