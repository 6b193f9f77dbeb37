import { createRoute } from '@hono/zod-openapi';
import { storefrontEventSchema } from '../../streams/storefront/storefront-event.ts';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { problems } from '../schemas/common.ts';
import { eventsAcceptedBody, eventsRequest, type StorefrontEventRequest } from '../schemas/event.ts';

const record = createRoute({
  method: 'post',
  path: '/events',
  tags: ['storefront'],
  summary: 'Record impressions and clicks on recommended products (to storefront.events.v1)',
  request: { body: { required: true, content: { 'application/json': { schema: eventsRequest } } } },
  responses: {
    202: { description: 'accepted onto the topic', content: { 'application/json': { schema: eventsAcceptedBody } } },
    ...problems(400, 415, 503),
  },
});

/** The topic's contract, checked here too, so a bad value is a 400 now rather than a DLQ entry later. */
export function toStorefrontEvent(e: StorefrontEventRequest, eventId: string, at: Date) {
  return storefrontEventSchema.parse({
    eventId,
    type: e.type,
    userId: e.user_id,
    recommendationId: e.recommendation_id,
    modelVersion: e.model_version ?? null,
    productId: e.product_id,
    position: e.position,
    at: at.toISOString(),
  });
}

export function registerEventRoutes(app: App, deps: ApiDeps): void {
  app.openapi(record, async (c) => {
    const { events } = c.req.valid('json');
    const at = deps.clock();
    const values = events.map((e) => toStorefrontEvent(e, deps.newId(), at));
    await deps.publisher.send(
      deps.config.topics.storefrontEvents,
      values.map((v) => ({ key: String(v.userId), value: JSON.stringify(v) })),
    );
    return c.json({ accepted: values.length }, 202);
  });
}
