import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { problems } from '../schemas/common.ts';
import { categoriesBody } from '../schemas/catalogue.ts';

const list = createRoute({
  method: 'get',
  path: '/categories',
  tags: ['catalogue'],
  summary: 'Every category with its number of products',
  request: { query: z.strictObject({}) },
  responses: {
    200: { description: 'the categories', content: { 'application/json': { schema: categoriesBody } } },
    ...problems(400, 503),
  },
});

export function registerCategoryRoutes(app: App, deps: ApiDeps): void {
  app.openapi(list, async (c) => c.json({ items: await deps.catalogue.categories() }, 200));
}
