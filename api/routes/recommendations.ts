import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { headerOf } from '../http/envelope.ts';
import { HOME_PATH, type HomeResponder } from './home-responder.ts';
import { idQuery, problems } from '../schemas/common.ts';
import { homeBody, type HomeBody } from '../schemas/home.ts';
import type { TypedResponse } from 'hono';

export const homeQuery = z.strictObject({ user_id: idQuery('the shopper') });

const home = createRoute({
  method: 'get',
  path: HOME_PATH,
  tags: ['storefront'],
  summary: "A shopper's home page recommendations (popularity for a shopper the model has nothing for)",
  request: { query: homeQuery },
  responses: {
    200: {
      description: 'recommended products, best first',
      headers: { ETag: { schema: { type: 'string' }, description: 'send it back as If-None-Match for a 304' } },
      content: { 'application/json': { schema: homeBody } },
    },
    304: { description: 'If-None-Match named the current ETag: the client holds this answer already' },
    ...problems(400, 503),
  },
});

export function registerRecommendationRoutes(app: App, deps: ApiDeps, respond: HomeResponder): void {
  app.openapi(home, async (c) => {
    const answer = await deps.home.answer(c.req.valid('query').user_id);
    // The envelope middleware has run, so the responder is ready.
    const res = respond(c.get('requestId'), answer, headerOf(c, 'if-none-match'))!;
    // The view keeps the answer as UTF-8 JSON already; the cast tells the route's types it is a HomeBody.
    return res as unknown as TypedResponse<HomeBody, 200, 'json'>;
  });
}
