import { createRoute } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { problems } from '../schemas/common.ts';
import { orderBody, orderRequest } from '../schemas/order.ts';

const place = createRoute({
  method: 'post',
  path: '/orders',
  tags: ['storefront'],
  summary: 'Place a paid order; prices come from the catalogue, never from the client',
  request: { body: { required: true, content: { 'application/json': { schema: orderRequest } } } },
  responses: {
    201: { description: 'the order as written', content: { 'application/json': { schema: orderBody } } },
    ...problems(400, 404, 415, 503),
  },
});

export function registerOrderRoutes(app: App, deps: ApiDeps): void {
  app.openapi(place, async (c) => c.json(await deps.orders.place(c.req.valid('json'), deps.clock()), 201));
}
