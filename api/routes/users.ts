import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { cursorQuery, idParam, limitQuery, problems } from '../schemas/common.ts';
import { userBody, userPageBody } from '../schemas/catalogue.ts';

const list = createRoute({
  method: 'get',
  path: '/users',
  tags: ['shoppers'],
  summary: 'Shoppers by id (for the storefront switcher); keyset pages',
  request: { query: z.strictObject({ limit: limitQuery, cursor: cursorQuery.optional() }) },
  responses: {
    200: { description: 'a page of shoppers', content: { 'application/json': { schema: userPageBody } } },
    ...problems(400, 503),
  },
});

const one = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags: ['shoppers'],
  summary: 'One shopper',
  request: { params: z.strictObject({ id: idParam('id', 'shopper id') }), query: z.strictObject({}) },
  responses: {
    200: { description: 'the shopper', content: { 'application/json': { schema: userBody } } },
    ...problems(400, 404, 503),
  },
});

export function registerUserRoutes(app: App, deps: ApiDeps): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await deps.catalogue.users({ limit: q.limit, after: q.cursor === undefined ? undefined : Number(q.cursor) }),
      200,
    );
  });
  app.openapi(one, async (c) => c.json(await deps.catalogue.user(c.req.valid('param').id), 200));
}
