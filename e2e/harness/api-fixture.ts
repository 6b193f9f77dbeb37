import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from '../../prisma/db/pool.ts';
import type { ApiConfig } from '../../api/config.ts';
import type { StackSettings } from '../../stack/settings.ts';
import { kafkaBrokers } from '../../stack/settings.ts';
import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { TestDatabase } from './scratch-database.ts';

export const FIXTURE_OPS_TOKEN = 'fixture-ops-token-0123456789';

/** An API config on a scratch database and scratch topics, on a free port (tests, benchmarks). */
export function apiFixtureConfig(stack: StackSettings, db: TestDatabase, over: Partial<ApiConfig> = {}): ApiConfig {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  return {
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://127.0.0.1:8000',
    corsOrigins: ['http://127.0.0.1:5173'],
    opsToken: FIXTURE_OPS_TOKEN,
    bodyLimitBytes: 64 * 1024,
    requestTimeoutMs: 10_000,
    topics: {
      recommendations: `${prefix}.recommendations.v1`,
      shadowRecommendations: `${prefix}.recommendations.shadow.v1`,
      storefrontEvents: `${prefix}.storefront.events.v1`,
      jobs: `${prefix}.control.jobs.v1`,
      models: `${prefix}.models.v1`,
    },
    db: db.db,
    brokers: kafkaBrokers(stack),
    modelsDir: `.models-${prefix}`,
    homeCacheSize: 10_000,
    homeView: true,
    onlineWindowDays: 7,
    logLevel: 'warn',
    ...over,
  };
}

/** A small shop: categories 1..3, four products each (id = 10·category + n), shoppers 1..n, a few paid orders. */
export async function seedTinyShop(pool: Pool, shoppers = 5): Promise<void> {
  await pool.query("INSERT INTO categories (id, name) VALUES (1, 'Apparel'), (2, 'Drinkware'), (3, 'Office')");
  const products = [1, 2, 3].flatMap((c) =>
    [1, 2, 3, 4].map((n) => [10 * c + n, `SKU-${c}-${n}`, c, `Product ${c}.${n}`, (c * 10 + n + 0.99).toFixed(2), '']),
  );
  await pool.query('INSERT INTO products (id, sku, category_id, title, price, image_url) VALUES ?', [products]);
  const users = Array.from({ length: shoppers }, (_, i) => [i + 1, `shopper${i + 1}`, 'F', 'Seoul', new Date(0), 12]);
  await pool.query('INSERT INTO users (id, nickname, gender, region, joined_at, tenure_months) VALUES ?', [users]);
  await pool.query(
    "INSERT INTO orders (id, user_id, status, placed_at) VALUES (1, 1, 'paid', NOW(3)), (2, 2, 'paid', NOW(3))",
  );
  await pool.query(
    'INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 21, 5, 21.99), (2, 31, 2, 31.99)',
  );
}

/** A recommendations.v1 value for a shopper of the tiny shop (or of any shop, given its products). */
export function fixtureRecommendation(userId: number, over: Partial<Recommendation> = {}): Recommendation {
  const now = new Date().toISOString();
  return {
    recommendationId: randomUUID(),
    userId,
    modelVersion: 'wd-fixture',
    trigger: 'order',
    runId: null,
    coldStart: false,
    categories: [
      {
        categoryId: 2,
        name: 'Drinkware',
        score: 0.6,
        rank: 1,
        reasons: [{ code: 'bought-category-recently', text: 'You bought Drinkware' }],
      },
      { categoryId: 3, name: 'Office', score: 0.3, rank: 2, reasons: [] },
    ],
    products: [
      { productId: 21, categoryId: 2, title: 'Product 2.1', price: 21.99, imageUrl: '' },
      { productId: 31, categoryId: 3, title: 'Product 3.1', price: 31.99, imageUrl: '' },
    ],
    sourceTs: now,
    producedAt: now,
    ...over,
  };
}

/** What the materializer writes: one recommendation_current row per shopper. */
export async function materialize(pool: Pool, rec: Recommendation): Promise<void> {
  await pool.query(
    `REPLACE INTO recommendation_current
       (user_id, recommendation_id, model_version, trigger_kind, cold_start, source_ts, produced_at, payload, materialized_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
    [
      rec.userId,
      rec.recommendationId,
      rec.modelVersion,
      rec.trigger,
      rec.coldStart,
      new Date(rec.sourceTs),
      new Date(rec.producedAt),
      JSON.stringify(rec),
    ],
  );
}
