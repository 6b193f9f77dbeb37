import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import { createFakeDeps, testConfig } from './fake-deps.ts';

/** The app on fake deps behind a real HTTP server on a free port (for tools that need a URL: the fuzzer). */
export async function serveFakeApp(): Promise<{ url: string; close(): Promise<void> }> {
  // The production body limit: the largest valid event batch must fit, as it does in production.
  const { app } = createApp(createFakeDeps(undefined, { config: testConfig({ bodyLimitBytes: 64 * 1024 }) }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
