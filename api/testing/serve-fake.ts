import { createApp } from '../app.ts';
import { createFakeDeps, testConfig } from './fake-deps.ts';
import { serveListener, type Served } from './serve-listener.ts';

/** The app on fake deps behind a real HTTP server on a free port (for tools that need a URL: the fuzzer). */
export function serveFakeApp(): Promise<Served> {
  // The production body limit: the largest valid event batch must fit, as it does in production.
  const { listener } = createApp(createFakeDeps(undefined, { config: testConfig({ bodyLimitBytes: 64 * 1024 }) }));
  return serveListener(listener);
}
