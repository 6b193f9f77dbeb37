import type { HomeRecommendations, OpsOverview } from '@/lib/api-types';

export function homeFixture(overrides: Partial<HomeRecommendations> = {}): HomeRecommendations {
  return {
    user_nickname: 'alice',
    recommendations: [
      { product_id: 11, category_id: 1, title: 'Trail shoes', price: 89.5, image_url: '/images/products/11.svg' },
      { product_id: 12, category_id: 1, title: 'Rain jacket', price: 120, image_url: '/images/products/12.svg' },
      {
        product_id: 21,
        category_id: 2,
        title: 'Espresso beans',
        price: 14.25,
        image_url: 'https://cdn.example/21.png',
      },
      { product_id: 22, category_id: 2, title: 'Grinder', price: 59, image_url: '/images/products/22.svg' },
    ],
    categories: [
      { category_id: 1, name: 'Outdoor', score: 0.9, reasons: [{ code: 'bought', text: 'You bought outdoor gear' }] },
      {
        category_id: 2,
        name: 'Coffee',
        score: 0.7,
        reasons: [{ code: 'similar', text: 'Shoppers like you buy coffee' }],
      },
    ],
    model_version: 'v3',
    recommendation_id: 'rec-1',
    produced_at: '2026-01-01T00:00:00.000Z',
    trigger: 'order',
    cold_start: false,
    ...overrides,
  };
}

export function opsFixture(): OpsOverview {
  return {
    freshness: {
      buckets: [
        { le: 0.1, count: 5 },
        { le: 0.5, count: 9 },
        { le: 1, count: 10 },
        { le: null, count: 10 },
      ],
      count: 10,
      p50_ms: 80,
      p95_ms: 450,
      p99_ms: 900,
    },
    lag: [{ group: 'features', topic: 'shop.orders', lag: 3 }],
    rates: [{ name: 'orders', per_second: 1.5 }],
    dlq: [{ topic: 'features.dlq', count: 0 }],
    jobs: [
      {
        job: 'sweep',
        run_id: 'run-1',
        status: 'succeeded',
        started_at: '2026-01-01T00:00:00Z',
        finished_at: '2026-01-01T00:00:02Z',
        duration_ms: 2000,
        counts: { users: 40 },
      },
    ],
    models: [
      {
        version: 'v2',
        status: 'retired',
        created_at: '2026-01-01T00:00:00Z',
        backend: 'wasm',
        metrics: { ndcg3: 0.41, recall3: 0.5 },
      },
      {
        version: 'v3',
        status: 'active',
        created_at: '2026-01-02T00:00:00Z',
        backend: 'wasm',
        metrics: { ndcg3: 0.45, recall3: 0.55 },
        table: [{ model: 'wide&deep', ndcg3: 0.45, recall3: 0.55 }],
      },
    ],
    online: [{ model_version: 'v3', impressions: 100, clicks: 7, ctr: 0.07, orders: 3, hits: 2, hit_rate: 0.6667 }],
  };
}
