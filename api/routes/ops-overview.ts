import { createRoute, z } from '@hono/zod-openapi';
import type { Logger } from '../../core/logger.ts';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { freshnessHistogram } from '../ops/freshness.ts';
import { problems } from '../schemas/common.ts';
import { opsOverviewBody, type OpsOverview } from '../schemas/ops.ts';

const overview = createRoute({
  method: 'get',
  path: '/ops/overview',
  tags: ['ops'],
  summary: 'Freshness, consumer lag, rates, DLQs, recent jobs, model versions, online metrics',
  security: [{ opsToken: [] }],
  request: { query: z.strictObject({}) },
  responses: {
    200: { description: 'the overview', content: { 'application/json': { schema: opsOverviewBody } } },
    ...problems(400, 401),
  },
});

/** One section failing (the broker away, say) leaves it empty; the page still shows the rest. */
async function section<T>(logger: Logger, name: string, read: () => Promise<T> | T, empty: T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    logger.warn('ops overview section unavailable', { section: name, err });
    return empty;
  }
}

export async function buildOverview(deps: ApiDeps): Promise<OpsOverview> {
  const { ops, logger } = deps;
  const [freshness, lag, rates, dlq, models] = await Promise.all([
    section(logger, 'freshness', ops.freshness, freshnessHistogram([])),
    section(logger, 'lag', ops.kafka.lag, []),
    section(logger, 'rates', ops.kafka.rates, []),
    section(logger, 'dlq', ops.kafka.dlq, []),
    section(logger, 'models', ops.models, []),
  ]);
  return { freshness, lag, rates, dlq, jobs: ops.jobs(), models, online: ops.online() };
}

export function registerOpsOverviewRoutes(app: App, deps: ApiDeps): void {
  app.openapi(overview, async (c) => c.json(await buildOverview(deps), 200));
}
