import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { productCardSvg } from '../images/product-card-svg.ts';
import { problems } from '../schemas/common.ts';

const card = createRoute({
  method: 'get',
  path: '/images/products/{file}',
  tags: ['catalogue'],
  summary: "A product's card image (`<id>.svg`), drawn from its title and category",
  request: {
    params: z.strictObject({
      file: z
        .string()
        .regex(/^[1-9]\d{0,8}\.svg$/, '<product id>.svg')
        .openapi({ param: { name: 'file', in: 'path' }, example: '1.svg' }),
    }),
    query: z.strictObject({}),
  },
  responses: {
    200: { description: 'an SVG image', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
    ...problems(400, 404, 503),
  },
});

export function registerImageRoutes(app: App, deps: ApiDeps): void {
  app.openapi(card, async (c) => {
    const id = Number.parseInt(c.req.valid('param').file, 10);
    const p = await deps.catalogue.product(id);
    const svg = productCardSvg({
      productId: p.product_id,
      categoryId: p.category_id,
      categoryName: p.category_name,
      title: p.title,
      price: p.price,
    });
    // Titles and prices change rarely; an hour in the browser's cache and the ETag cover the rest.
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
  });
}
