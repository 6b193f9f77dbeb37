import { randomBytes } from 'node:crypto';
import type { ResultSetHeader } from 'mysql2';
import { inject } from 'vitest';
import { kafkaBrokers } from '../../stack/settings.ts';
import type { FeatureConsumerConfig } from '../../consumers/feature-store/config.ts';
import { FEATURE_MIGRATIONS } from '../../consumers/feature-store/feature-migrations.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { startTestCdc, type TestCdc } from './test-cdc.ts';

export interface FeatureScenario {
  shop: TestDatabase;
  store: TestDatabase;
  cdc: TestCdc;
  /** Model category index by raw category name, as the default category map has it. */
  categoryIds: Record<string, number>;
  productIds: Record<string, number>;
  config(overrides?: Partial<FeatureConsumerConfig>): FeatureConsumerConfig;
  addUser(nickname: string, gender?: 'F' | 'M', region?: string): Promise<number>;
  placeOrder(userId: number, lines: [sku: string, qty: number][], placedAt?: Date): Promise<number>;
  cleanup(): Promise<void>;
}

const CATALOG: [sku: string, category: string, price: string][] = [
  ['TEE', 'Apparel', '19.99'],
  ['CAP', 'Headgear', '12.50'],
  ['THERMO', 'Nest-USA', '124.33'],
  ['PEN', 'Office', '3.77'],
];

/** A shop database with a small catalogue, its connector, and an empty feature store. */
export async function createFeatureScenario(): Promise<FeatureScenario> {
  const shop = await createTestDatabase({ prefix: 'shop' });
  const store = await createTestDatabase({ prefix: 'fs', migrationsDir: FEATURE_MIGRATIONS });
  const categoryIds: Record<string, number> = {};
  const productIds: Record<string, number> = {};
  for (const [sku, category, price] of CATALOG) {
    if (!(category in categoryIds)) {
      const [c] = await shop.pool.query<ResultSetHeader>('INSERT INTO categories (name) VALUES (?)', [category]);
      categoryIds[category] = c.insertId;
    }
    const [p] = await shop.pool.query<ResultSetHeader>(
      'INSERT INTO products (sku, category_id, title, price, image_url) VALUES (?, ?, ?, ?, ?)',
      [sku, categoryIds[category], `The ${sku}`, price, `https://img.example/${sku}.png`],
    );
    productIds[sku] = p.insertId;
  }
  const cdc = await startTestCdc(shop.name);
  const stack = inject('stack');
  const prefix = cdc.topics.orders.name.split('.')[0]!;
  return {
    shop,
    store,
    cdc,
    categoryIds,
    productIds,
    config: (o = {}) => ({
      brokers: kafkaBrokers(stack),
      store: store.db,
      cdc: { prefix, database: shop.name },
      groupId: `features-${randomBytes(3).toString('hex')}`,
      featuresTopic: `${prefix}.features.user.v1`,
      metricsPort: 0,
      pendingGraceMs: 60_000,
      publish: true,
      concurrency: 2,
      sessionTimeoutMs: 6_000,
      logLevel: 'warn',
      ...o,
    }),
    async addUser(nickname, gender = 'F', region = 'Chicago') {
      const [u] = await shop.pool.query<ResultSetHeader>(
        'INSERT INTO users (nickname, gender, region, joined_at, tenure_months) VALUES (?, ?, ?, NOW(3), 10)',
        [nickname, gender, region],
      );
      return u.insertId;
    },
    async placeOrder(userId, lines, placedAt = new Date()) {
      const conn = await shop.pool.getConnection();
      try {
        await conn.beginTransaction();
        const [o] = await conn.query<ResultSetHeader>(
          "INSERT INTO orders (user_id, status, coupon_status, delivery_charge, placed_at) VALUES (?, 'paid', 'used', 6.00, ?)",
          [userId, placedAt],
        );
        const prices = Object.fromEntries(CATALOG.map(([s, , p]) => [s, p]));
        await conn.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ?', [
          lines.map(([sku, q]) => [o.insertId, productIds[sku], q, prices[sku]]),
        ]);
        await conn.commit();
        return o.insertId;
      } finally {
        conn.release();
      }
    },
    async cleanup() {
      await cdc.stop().catch(() => {});
      await shop.drop();
      await store.drop();
    },
  };
}
