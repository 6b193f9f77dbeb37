import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { idQuery, problems } from '../schemas/common.ts';
import { homeBody } from '../schemas/home.ts';

export const homeQuery = z.strictObject({ user_id: idQuery('the shopper') });

const home = createRoute({
  method: 'get',
  path: '/recommendations/home',
  tags: ['storefront'],
  summary: "A shopper's home page recommendations (popularity for a shopper the model has nothing for)",
  request: { query: homeQuery },
  responses: {
    200: { description: 'recommended products, best first', content: { 'application/json': { schema: homeBody } } },
    ...problems(400, 503),
  },
});

export function registerRecommendationRoutes(app: App, deps: ApiDeps): void {
  app.openapi(home, async (c) => c.json(await deps.home.home(c.req.valid('query').user_id), 200));
}
