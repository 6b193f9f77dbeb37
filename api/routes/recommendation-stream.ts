import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { problems } from '../schemas/common.ts';
import { homeQuery } from './recommendations.ts';

export const DEFAULT_KEEP_ALIVE_MS = 15_000;

const stream = createRoute({
  method: 'get',
  path: '/recommendations/stream',
  tags: ['storefront'],
  summary: "Server-sent events: `recommendation` (data: the /home body) each time the shopper's recommendation changes",
  request: { query: homeQuery },
  responses: {
    200: {
      description: 'an event stream; `: ping` comments every 15 s',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
    ...problems(400),
  },
});

export function registerStreamRoutes(app: App, deps: ApiDeps): void {
  const keepAliveMs = deps.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  app.openapi(stream, (c) => {
    const userId = c.req.valid('query').user_id;
    return streamSSE(
      c,
      async (sse) => {
        // Pushes are chained so a slow render never lets an older value overtake a newer one.
        let chain = Promise.resolve();
        const push = (rec: Recommendation) => {
          chain = chain
            .then(() => deps.home.bodyFor(rec))
            .then((body) =>
              sse.writeSSE({ event: 'recommendation', id: rec.recommendationId, data: JSON.stringify(body) }),
            )
            .catch((err: unknown) => deps.logger.warn('could not push a recommendation', { userId, err }));
        };
        const unsubscribe = deps.feed.subscribe(userId, push);
        // Sent at once so the headers leave now and EventSource reports the stream open.
        await sse.write(': connected\n\n');
        const ping = setInterval(() => void sse.write(': ping\n\n').catch(() => undefined), keepAliveMs);
        await new Promise<void>((resolve) =>
          sse.onAbort(() => {
            clearInterval(ping);
            unsubscribe();
            resolve();
          }),
        );
      },
      async (err) => deps.logger.warn('event stream failed', { userId, err }),
    );
  });
}
