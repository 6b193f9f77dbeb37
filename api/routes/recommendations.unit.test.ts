import { readJson } from '../testing/read-json.ts';
import { describe, expect, it } from 'vitest';
import { homeRecommendationsSchema, problemSchema } from '../../web/src/lib/api-types.ts';
import { createApp } from '../app.ts';
import { createFakeDeps, createFakeShop, PUBLIC_URL, recommendation } from '../testing/fake-deps.ts';

function setup() {
  const shop = createFakeShop();
  const deps = createFakeDeps(shop);
  return { shop, deps, app: createApp(deps).app };
}

describe('GET /recommendations/home', () => {
  it("answers the storefront's contract for a shopper with a materialized recommendation", async () => {
    const { app } = setup();
    const res = await app.request('/recommendations/home?user_id=1');
    expect(res.status).toBe(200);
    const body = homeRecommendationsSchema.parse(await readJson(res));
    expect(body.user_nickname).toBe('ada');
    expect(body.recommendations).toEqual([
      { product_id: 21, category_id: 2, title: 'Mug', price: 9.99, image_url: `${PUBLIC_URL}/images/products/21.svg` },
    ]);
    expect(body.categories?.[0]).toEqual({
      category_id: 2,
      name: 'Drinkware',
      score: 0.7,
      reasons: [{ code: 'bought-category-recently', text: 'You bought Drinkware 3 times' }],
    });
    expect(body).toMatchObject({ model_version: 'wd-20261129-090000', trigger: 'order', cold_start: false });
  });

  it('gives an unknown shopper popularity, never an empty list', async () => {
    const { app } = setup();
    const body = homeRecommendationsSchema.parse(
      await readJson(await app.request('/recommendations/home?user_id=999')),
    );
    expect(body.cold_start).toBe(true);
    expect(body.user_nickname).toBe('guest');
    // Best-selling categories first (Apparel sold 50, Drinkware 30), each one's best product first.
    expect(body.recommendations.map((r) => r.product_id)).toEqual([11, 12, 21]);
  });

  it('gives a known shopper without a materialized row popularity under their own name', async () => {
    const { app, shop } = setup();
    shop.shoppers.set(2, { nickname: 'bo', recommendation: null });
    const body = homeRecommendationsSchema.parse(await readJson(await app.request('/recommendations/home?user_id=2')));
    expect(body).toMatchObject({ user_nickname: 'bo', cold_start: true, trigger: 'cold-start' });
    expect(body.recommendations.length).toBeGreaterThan(0);
  });

  it.each(['abc', '-1', '0', '1.5', '99999999999', '', '1e400'])(
    'refuses user_id=%s with a 400 naming the field',
    async (v) => {
      const { app } = setup();
      const res = await app.request(`/recommendations/home?user_id=${v}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const p = problemSchema.parse(await readJson(res));
      expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'query.user_id' })]));
    },
  );

  it('refuses a missing user_id and unknown parameters', async () => {
    const { app } = setup();
    expect((await app.request('/recommendations/home')).status).toBe(400);
    const res = await app.request('/recommendations/home?user_id=1&debug=1');
    expect(res.status).toBe(400);
    expect((await readJson(res)).errors).toEqual([{ path: 'query.debug', message: 'unknown parameter' }]);
  });

  it('keeps serving a recently served answer while the database is down, and 503s the rest', async () => {
    const { app, shop } = setup();
    shop.viewLive = false;
    const before = await readJson(await app.request('/recommendations/home?user_id=1'));
    shop.dbDown = true;
    const deps = createFakeDeps(shop);
    const cold = createApp(deps).app;
    const served = await app.request('/recommendations/home?user_id=1');
    expect(served.status).toBe(200);
    expect(await readJson(served)).toEqual(before);
    const res = await cold.request('/recommendations/home?user_id=1');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('serves a newer value from recommendations.v1 at once and ignores an older one', async () => {
    const { app, deps } = setup();
    await app.request('/recommendations/home?user_id=1');
    const newer = recommendation(1, {
      recommendationId: '0b9f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      sourceTs: '2026-11-29T10:00:01.000Z',
      producedAt: '2026-11-29T10:00:01.100Z',
    });
    deps.home.accept(newer);
    deps.home.accept(recommendation(1, { recommendationId: '11111111-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }));
    const body = await readJson(await app.request('/recommendations/home?user_id=1'));
    expect(body.recommendation_id).toBe(newer.recommendationId);
  });
});
