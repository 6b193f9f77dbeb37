import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import type { Envelope } from '../http/envelope.ts';
import { idQuery, problems } from '../schemas/common.ts';
import { homeBody, type HomeBody } from '../schemas/home.ts';
import type { TypedResponse } from 'hono';

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

export function registerRecommendationRoutes(app: App, deps: ApiDeps, envelope: Envelope): void {
  app.openapi(home, async (c) => {
    const bytes = await deps.home.homeBytes(c.req.valid('query').user_id);
    // The view keeps the answer as UTF-8 JSON already; the cast tells the route's types it is a HomeBody.
    return envelope.json(c, bytes, 200) as unknown as TypedResponse<HomeBody, 200, 'json'>;
  });
}
