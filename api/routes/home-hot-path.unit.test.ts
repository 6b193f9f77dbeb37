import { afterEach, describe, expect, it } from 'vitest';
import { homeRecommendationsSchema } from '../../web/src/lib/api-types.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, createFakeShop, recommendation } from '../testing/fake-deps.ts';
import { readJson } from '../testing/read-json.ts';
import { serveListener, type Served } from '../testing/serve-listener.ts';

const HOME = '/recommendations/home?user_id=1';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/**
 * The app's listener on a real server (the hot read answers Node's request itself, so `app.request()`
 * would never reach it), and how many /home requests reached the documented route.
 */
async function setup() {
  const shop = createFakeShop();
  const deps = createFakeDeps(shop);
  let behind = 0;
  const answer = deps.home.answer.bind(deps.home);
  deps.home.answer = (id) => (behind++, answer(id));
  served = await serveListener(createApp(deps).listener);
  const base = served.url;
  const app = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
  return { shop, deps, app, behind: () => behind };
}

const headersOf = (res: Response) => {
  const h = Object.fromEntries(res.headers);
  // Per request, on either path.
  delete h['x-request-id'];
  delete h.date;
  return h;
};

describe("GET /recommendations/home from the view, on Node's request before Hono", () => {
  it('answers a view hit itself, with the same body and headers as the documented route', async () => {
    const { app, behind } = await setup();
    const first = await app.request(HOME);
    expect(behind()).toBe(1);
    const hit = await app.request(HOME);
    expect(behind()).toBe(1);
    expect(hit.status).toBe(200);
    expect(headersOf(hit)).toEqual(headersOf(first));
    expect(hit.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(hit.headers.get('cache-control')).toBe('private, no-cache');
    expect(homeRecommendationsSchema.parse(await readJson(hit))).toEqual(await readJson(first));
    const kept = await app.request(HOME, { headers: { 'x-request-id': 'abc-123=' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123=');
  });

  it('answers 304 to If-None-Match with the current ETag, on either path, and 200 once it changed', async () => {
    const { app, deps, behind } = await setup();
    const etag = (await app.request(HOME)).headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const hit = await app.request(HOME, { headers: { 'if-none-match': etag } });
    expect(hit.status).toBe(304);
    expect(hit.headers.get('etag')).toBe(etag);
    expect(hit.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await hit.text()).toBe('');
    // `user_id=01` is the same shopper in another spelling: the documented route answers it.
    const before = behind();
    const slow = await app.request('/recommendations/home?user_id=01', {
      headers: { 'if-none-match': `"x", W/${etag}` },
    });
    expect([slow.status, behind()]).toEqual([304, before + 1]);
    deps.home.accept(
      recommendation(1, {
        recommendationId: '0b9f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
        sourceTs: '2026-11-29T10:00:01.000Z',
      }),
    );
    const changed = await app.request(HOME, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await readJson(changed)).recommendation_id).toBe('0b9f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
  });

  it('leaves cross-origin requests, other spellings, bad input and a dead feed to the documented route', async () => {
    const { app, shop, behind } = await setup();
    await app.request(HOME);
    const cors = await app.request(HOME, { headers: { origin: 'http://127.0.0.1:5173' } });
    expect(cors.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(behind()).toBe(2);
    const unknown = await app.request(`${HOME}&debug=1`);
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect((await app.request('/recommendations/home?user_id=2147483648')).status).toBe(400);
    shop.viewLive = false;
    await app.request(HOME);
    expect(behind()).toBe(3);
  });

  it('counts its answers in the route metrics like any other', async () => {
    const { app } = await setup();
    await app.request(HOME);
    await app.request(HOME);
    await app.request(HOME, { method: 'HEAD' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/recommendations\/home",status="200"\} 2/);
    expect(text).toMatch(/http_requests_total\{method="HEAD",route="\/recommendations\/home",status="200"\} 1/);
  });
});
