import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createFakeDeps, testConfig } from '../testing/fake-deps.ts';
import type { AppEnv } from './app-env.ts';
import { createDeadlines } from './deadline.ts';
import { createEnvelope } from './envelope.ts';

const OPTIONS = { crossOriginResourcePolicy: 'cross-origin' } as const;

describe('the envelope: request ids and security headers set cheaply', () => {
  it("sets exactly Hono's secureHeaders values on the hot path and on ordinary responses", async () => {
    const reference = await new Hono()
      .use(secureHeaders(OPTIONS))
      .get('/', (c) => c.json({}))
      .request('/');
    const env = createEnvelope(OPTIONS);
    const app = new Hono<AppEnv>()
      .use(env.middleware)
      .get('/hot', (c) => env.json(c, '{}', 200))
      .get('/plain', (c) => c.json({}));
    for (const path of ['/hot', '/plain']) {
      const res = await app.request(path);
      for (const [k, v] of reference.headers) expect(res.headers.get(k), `${path} ${k}`).toBe(v);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keeps a client's well-formed X-Request-Id and replaces a malformed one", async () => {
    const { app } = createApp(createFakeDeps());
    const kept = await app.request('/recommendations/home?user_id=1', { headers: { 'x-request-id': 'abc-123=' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123=');
    expect(kept.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const replaced = await app.request('/recommendations/home?user_id=1', { headers: { 'x-request-id': 'a b<c>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 504 problem+json, with the envelope, when a request outlives the timeout', async () => {
    const deps = createFakeDeps(undefined, { config: testConfig({ requestTimeoutMs: 100 }) });
    deps.home.answer = () => new Promise(() => undefined);
    const { app } = createApp(deps);
    const t0 = performance.now();
    const res = await app.request('/recommendations/home?user_id=1');
    expect(res.status).toBe(504);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('expires only what is overdue, and passes a failure through', async () => {
    const d = createDeadlines(50, () => new HTTPException(504));
    const c = {} as never;
    await expect(d.run(c, Promise.resolve())).resolves.toBeUndefined();
    await expect(d.run(c, Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(d.run(c, new Promise(() => undefined))).rejects.toBeInstanceOf(HTTPException);
    d.stop();
  });
});
