import { readJson } from '../testing/read-json.ts';
import { describe, expect, it } from 'vitest';
import { orderSchema, eventsAcceptedSchema } from '../../web/src/lib/api-types.ts';
import { storefrontEventSchema } from '../../streams/storefront/storefront-event.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, createFakeShop } from '../testing/fake-deps.ts';

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  method: 'POST',
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('POST /orders', () => {
  it('answers 201 with the order in the storefront contract', async () => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/orders', post({ user_id: 1, items: [{ product_id: 21, quantity: 2 }] }));
    expect(res.status).toBe(201);
    const order = orderSchema.parse(await readJson(res));
    expect(order).toMatchObject({ user_id: 1, placed_at: '2026-11-29T10:00:00.000Z', total: 19.98 });
  });

  it.each([
    [{ user_id: 1, items: [{ product_id: 21, quantity: 0 }] }, 'body.items.0.quantity'],
    [{ user_id: 1, items: [{ product_id: 21, quantity: 101 }] }, 'body.items.0.quantity'],
    [{ user_id: 1, items: [] }, 'body.items'],
    [{ user_id: -1, items: [{ product_id: 21, quantity: 1 }] }, 'body.user_id'],
    [{ user_id: 1, items: [{ product_id: 21, quantity: 1, price: 0.01 }] }, 'body.items.0.price'],
  ])('refuses %j naming %s', async (body, path) => {
    const { app } = createApp(createFakeDeps());
    const res = await app.request('/orders', post(body));
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('answers malformed JSON with 400, a non-JSON body with 415, an oversized one with 400', async () => {
    const { app } = createApp(createFakeDeps());
    const bad = await app.request('/orders', post('{"user_id": 1,'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect((await app.request('/orders', post('user_id=1', { 'content-type': 'text/plain' }))).status).toBe(415);
    const huge = { user_id: 1, items: [{ product_id: 21, quantity: 1 }], pad: 'x'.repeat(10_000) };
    const res = await app.request('/orders', post(huge));
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors).toEqual([{ path: 'body', message: 'larger than 4096 bytes' }]);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 503 with Retry-After when the database is down', async () => {
    const shop = createFakeShop();
    shop.dbDown = true;
    const { app } = createApp(createFakeDeps(shop));
    const res = await app.request('/orders', post({ user_id: 1, items: [{ product_id: 21, quantity: 1 }] }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });
});

describe('POST /events', () => {
  const event = {
    type: 'impression',
    user_id: 1,
    recommendation_id: '6f1c2b1e-8d7a-4c53-9a43-0f4b8a1d2e3f',
    product_id: 21,
    position: 0,
    model_version: 'wd-1',
  };

  it('puts each event on storefront.events.v1 with an id and a time, keyed by shopper', async () => {
    const shop = createFakeShop();
    const { app } = createApp(createFakeDeps(shop));
    const res = await app.request('/events', post({ events: [event, { ...event, type: 'click', position: 3 }] }));
    expect(res.status).toBe(202);
    expect(eventsAcceptedSchema.parse(await readJson(res))).toEqual({ accepted: 2 });
    expect(shop.published).toHaveLength(2);
    for (const m of shop.published) {
      expect(m.topic).toBe('storefront.events.v1');
      expect(m.key).toBe('1');
      expect(storefrontEventSchema.parse(m.value).at).toBe('2026-11-29T10:00:00.000Z');
    }
    expect(new Set(shop.published.map((m) => (m.value as { eventId: string }).eventId)).size).toBe(2);
  });

  it('refuses an event off the contract and publishes nothing', async () => {
    const shop = createFakeShop();
    const { app } = createApp(createFakeDeps(shop));
    const res = await app.request('/events', post({ events: [{ ...event, recommendation_id: 'nope' }] }));
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors[0].path).toBe('body.events.0.recommendation_id');
    expect(shop.published).toEqual([]);
  });
});
