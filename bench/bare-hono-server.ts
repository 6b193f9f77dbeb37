import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The yardstick for `npm run bench -- api`: the smallest Hono JSON endpoint on the same adapter,
 * in a process of its own like the API. It answers a fixed body (BARE_BODY, JSON) as large as a
 * real /home answer, so the load generator and the kernel pay the same per byte for both.
 */
const body: unknown = JSON.parse(process.env.BARE_BODY ?? '{"user_nickname":"bare","recommendations":[]}');
const app = new Hono().get('/', (c) => c.json(body));
const server = serve({ fetch: app.fetch, port: Number(process.env.BARE_PORT ?? 0), hostname: '127.0.0.1' }, (info) =>
  process.stdout.write(`listening ${info.port}\n`),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
