import { readJson } from './testing/read-json.ts';
import { describe, expect, it } from 'vitest';
import { categoriesSchema, productSchema, userPageSchema } from '../web/src/lib/api-types.ts';
import { createApp } from './app.ts';
import { createFakeDeps, createFakeShop } from './testing/fake-deps.ts';

describe('the app around the routes', () => {
  it('lets only the storefront origins through CORS, with a preflight for JSON POSTs and Authorization', async () => {
    const { app } = createApp(createFakeDeps());
    const preflight = await app.request('/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const foreign = await app.request('/categories', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets security headers and a request id, and lets other origins load images', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/images/products/21.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toContain('Mug');
    expect((await app.request('/images/products/999.svg')).status).toBe(404);
    expect((await app.request('/images/products/abc.svg')).status).toBe(400);
  });

  it('serves the catalogue in the storefront contract, with 404 problem+json for an unknown id', async () => {
    const { app } = createApp(createFakeDeps());
    productSchema.parse(await readJson(await app.request('/products/21')));
    categoriesSchema.parse(await readJson(await app.request('/categories')));
    userPageSchema.parse(await readJson(await app.request('/users?limit=5')));
    const res = await app.request('/users/4242');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson(res)).detail).toBe('no shopper 4242');
    expect((await app.request('/categories?x=1')).status).toBe(400);
    expect((await app.request('/products?cursor=abc')).status).toBe(400);
    expect((await app.request('/products?limit=1000')).status).toBe(400);
  });

  it('pages products with a cursor', async () => {
    const { app } = createApp(createFakeDeps());
    const first = await readJson(await app.request('/products?limit=2'));
    expect(first.next_cursor).toBe('12');
    const second = await readJson(await app.request(`/products?limit=2&cursor=${first.next_cursor}`));
    expect(second.items.map((p: { product_id: number }) => p.product_id)).toEqual([21]);
    expect(second.next_cursor).toBeNull();
  });

  it('counts requests by route pattern, not raw path', async () => {
    const { app } = createApp(createFakeDeps());
    await app.request('/products/21');
    await app.request('/products/11');
    await app.request('/no/such/path');
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('http_requests_total{method="GET",route="/products/:id",status="200"} 2');
    expect(text).toContain('route="unmatched"');
    expect(text).not.toContain('/products/21');
  });

  it('answers unknown paths with 404 problem+json', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('reports each dependency on /health and 503 when one is down', async () => {
    const shop = createFakeShop();
    const { app } = createApp(createFakeDeps(shop));
    expect(await readJson(await app.request('/health'))).toEqual({
      status: 'ok',
      dependencies: { database: { ok: true } },
    });
    shop.dbDown = true;
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('documents every route in one OpenAPI 3.1 document and serves the docs page', async () => {
    const { app } = createApp(createFakeDeps());
    const doc = await readJson(await app.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/categories',
        '/events',
        '/health',
        '/images/products/{file}',
        '/ops/jobs/retrain',
        '/ops/jobs/sweep',
        '/ops/models/rollback',
        '/ops/models/{version}/promote',
        '/ops/overview',
        '/orders',
        '/products',
        '/products/{id}',
        '/recommendations/home',
        '/recommendations/stream',
        '/users',
        '/users/{id}',
      ].sort(),
    );
    expect(doc.components.securitySchemes.opsToken).toEqual({ type: 'http', scheme: 'bearer' });
    expect(await (await app.request('/docs')).text()).toContain('swagger');
  });
});
