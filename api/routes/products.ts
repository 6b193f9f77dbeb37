import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { cursorQuery, idParam, idQuery, limitQuery, problems } from '../schemas/common.ts';
import { productBody, productPageBody } from '../schemas/catalogue.ts';

const list = createRoute({
  method: 'get',
  path: '/products',
  tags: ['catalogue'],
  summary: 'Products by id, optionally of one category; keyset pages',
  request: {
    query: z.strictObject({
      category_id: idQuery('only this category').optional(),
      limit: limitQuery,
      cursor: cursorQuery.optional(),
    }),
  },
  responses: {
    200: { description: 'a page of products', content: { 'application/json': { schema: productPageBody } } },
    ...problems(400, 503),
  },
});

const one = createRoute({
  method: 'get',
  path: '/products/{id}',
  tags: ['catalogue'],
  summary: 'One product',
  request: { params: z.strictObject({ id: idParam('id', 'product id') }), query: z.strictObject({}) },
  responses: {
    200: { description: 'the product', content: { 'application/json': { schema: productBody } } },
    ...problems(400, 404, 503),
  },
});

export function registerProductRoutes(app: App, deps: ApiDeps): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await deps.catalogue.products({
      categoryId: q.category_id,
      limit: q.limit,
      after: q.cursor === undefined ? undefined : Number(q.cursor),
    });
    return c.json(page, 200);
  });
  app.openapi(one, async (c) => c.json(await deps.catalogue.product(c.req.valid('param').id), 200));
}
