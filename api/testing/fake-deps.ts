import { NotFoundError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { HttpConfig } from '../config.ts';
import type { ApiDeps } from '../deps.ts';
import { createHomeService } from '../home/home-service.ts';
import { pickPopular, type SoldProduct } from '../home/popular-products.ts';
import type { ShopperRow } from '../home/recommendation-rows.ts';
import { productImageUrl } from '../home/render-home.ts';
import { createSubscribers } from '../live/subscribers.ts';
import { freshnessHistogram } from '../ops/freshness.ts';
import type { ProductBody } from '../schemas/catalogue.ts';

export const OPS_TOKEN = 'test-ops-token-0123456789';
export const PUBLIC_URL = 'http://api.test:8000';
export const NOW = new Date('2026-11-29T10:00:00.000Z');

export const testConfig = (over: Partial<HttpConfig> = {}): HttpConfig => ({
  publicUrl: PUBLIC_URL,
  corsOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'],
  opsToken: OPS_TOKEN,
  bodyLimitBytes: 4096,
  requestTimeoutMs: 2_000,
  topics: {
    recommendations: 'recommendations.v1',
    shadowRecommendations: 'recommendations.shadow.v1',
    storefrontEvents: 'storefront.events.v1',
    jobs: 'control.jobs.v1',
    models: 'models.v1',
  },
  ...over,
});

export const SOLD: SoldProduct[] = [
  { productId: 11, categoryId: 1, categoryName: 'Apparel', title: 'Tee', price: 19.5, sold: 40 },
  { productId: 12, categoryId: 1, categoryName: 'Apparel', title: 'Hoodie', price: 49, sold: 10 },
  { productId: 21, categoryId: 2, categoryName: 'Drinkware', title: 'Mug', price: 9.99, sold: 30 },
];

export function recommendation(userId: number, over: Partial<Recommendation> = {}): Recommendation {
  return {
    recommendationId: '6f1c2b1e-8d7a-4c53-9a43-0f4b8a1d2e3f',
    userId,
    modelVersion: 'wd-20261129-090000',
    trigger: 'order',
    runId: null,
    coldStart: false,
    categories: [
      {
        categoryId: 2,
        name: 'Drinkware',
        score: 0.7,
        rank: 1,
        reasons: [{ code: 'bought-category-recently', text: 'You bought Drinkware 3 times', weight: 0.4 }],
      },
    ],
    products: [{ productId: 21, categoryId: 2, title: 'Mug', price: 9.99, imageUrl: 'x' }],
    sourceTs: '2026-11-29T09:59:59.000Z',
    producedAt: '2026-11-29T09:59:59.500Z',
    ...over,
  };
}

/** A tiny in-memory shop behind every port; tests change its fields to steer the fakes. */
export function createFakeShop() {
  return {
    shoppers: new Map<number, ShopperRow>([[1, { nickname: 'ada', recommendation: recommendation(1) }]]),
    dbDown: false,
    /** false: every /home read goes to the (fake) database, as with a dead feed. */
    viewLive: true,
    published: [] as { topic: string; key: string; value: unknown }[],
    promoteAnswer: { promoted: true, reason: 'replaces wd-1' },
  };
}

export type FakeShop = ReturnType<typeof createFakeShop>;

export function createFakeDeps(shop: FakeShop = createFakeShop(), over: Partial<ApiDeps> = {}): ApiDeps {
  const imageUrl = productImageUrl(PUBLIC_URL);
  const clock = () => NOW;
  const down = () => {
    if (shop.dbDown) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  const products: ProductBody[] = SOLD.map((p) => ({
    product_id: p.productId,
    category_id: p.categoryId,
    category_name: p.categoryName,
    title: p.title,
    price: p.price,
    image_url: imageUrl(p.productId),
  }));
  let ids = 0;
  return {
    config: testConfig(),
    clock,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    logger: silentLogger,
    home: createHomeService({
      rows: { find: async (id) => (down(), shop.shoppers.get(id) ?? null) },
      coldStart: { pick: async () => pickPopular(SOLD, imageUrl, NOW) },
      imageUrl,
      clock,
      capacity: 100,
      viewLive: () => shop.viewLive,
    }),
    feed: createSubscribers<Recommendation>(),
    catalogue: {
      products: async ({ categoryId, limit, after }) => {
        const rows = products.filter(
          (p) => (!categoryId || p.category_id === categoryId) && p.product_id > (after ?? 0),
        );
        return {
          items: rows.slice(0, limit),
          next_cursor: rows.length > limit ? String(rows[limit - 1]!.product_id) : null,
        };
      },
      product: async (id) => {
        down();
        const p = products.find((x) => x.product_id === id);
        if (!p) throw new NotFoundError(`no product ${id}`);
        return p;
      },
      categories: async () => [{ category_id: 1, name: 'Apparel', product_count: 2 }],
      users: async () => ({ items: [{ user_id: 1, nickname: 'ada' }], next_cursor: null }),
      user: async (id) => {
        const s = shop.shoppers.get(id);
        if (!s) throw new NotFoundError(`no shopper ${id}`);
        return { user_id: id, nickname: s.nickname };
      },
    },
    orders: {
      place: async (req, now) => {
        down();
        const items = req.items.map((i) => {
          const p = products.find((x) => x.product_id === i.product_id);
          if (!p) throw new NotFoundError(`no product ${i.product_id}`);
          return { ...i, unit_price: p.price };
        });
        const total = items.reduce((a, i) => a + i.unit_price * i.quantity, 0);
        return { order_id: '1', user_id: req.user_id, status: 'paid', placed_at: now.toISOString(), items, total };
      },
    },
    publisher: {
      send: async (topic, messages) => {
        for (const m of messages) shop.published.push({ topic, key: m.key, value: JSON.parse(m.value) });
      },
    },
    ops: {
      freshness: async () => freshnessHistogram([40, 120, 900]),
      kafka: {
        lag: async () => [{ group: 'features', topic: 'cdc.shop.orders', lag: 3 }],
        dlq: async () => [{ topic: 'cdc.shop.orders.dlq', count: 1 }],
        rates: async () => [],
      },
      jobs: () => [],
      models: async () => [],
      online: () => [],
    },
    models: {
      promote: async () => shop.promoteAnswer,
      rollback: async () => ({ version: 'wd-1' }),
    },
    health: [{ name: 'database', check: async () => ({ ok: !shop.dbDown }) }],
    ...over,
  };
}
