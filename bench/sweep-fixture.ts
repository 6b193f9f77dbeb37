import type { ResultSetHeader } from 'mysql2';
import { createScratchDatabase, type TestDatabase } from '../e2e/harness/scratch-database.ts';
import { syntheticFeatures } from '../e2e/harness/synthetic-features.ts';
import { createCategoryMap } from '../features/category-map.ts';
import { FEATURE_MIGRATIONS } from '../consumers/feature-store/feature-migrations.ts';
import type { StackSettings } from '../stack/settings.ts';

export interface SweepFixture {
  shop: TestDatabase;
  store: TestDatabase;
  shoppers: number;
  orders: number;
  drop(): Promise<void>;
}

const PRODUCTS_PER_CATEGORY = 25;
const CHUNK = 2_000;

/** The shop's 16 categories with a few best-sellers each: what the scorer's catalogue is built from. */
async function seedShop(shop: TestDatabase): Promise<Map<number, { categoryId: number; productIds: number[] }>> {
  const byModel = new Map<number, { categoryId: number; productIds: number[] }>();
  const names = createCategoryMap().model;
  for (const [m, name] of names.entries()) {
    const [c] = await shop.pool.query<ResultSetHeader>('INSERT INTO categories (name) VALUES (?)', [name]);
    const rows = Array.from({ length: PRODUCTS_PER_CATEGORY }, (_, i) => [
      `${name}-${i}`,
      c.insertId,
      `${name} ${i}`,
      (5 + i).toFixed(2),
      'https://img.example/p.png',
    ]);
    const [p] = await shop.pool.query<ResultSetHeader>(
      'INSERT INTO products (sku, category_id, title, price, image_url) VALUES ?',
      [rows],
    );
    byModel.set(m, { categoryId: c.insertId, productIds: rows.map((_, i) => p.insertId + i) });
  }
  return byModel;
}

/**
 * A feature store as the feature consumer leaves it: one features row per shopper (0-4 orders,
 * as the sweep test's synthetic shoppers), and those orders in the fs_orders mirror (one line
 * each, a best-seller of the category the features count), so the purchase-history rule has work.
 */
async function seedStore(
  store: TestDatabase,
  shoppers: number,
  products: Map<number, { categoryId: number; productIds: number[] }>,
  progress: (done: number) => void,
): Promise<number> {
  const now = Date.now();
  let orderId = 0;
  for (let from = 1; from <= shoppers; from += CHUNK) {
    const feats = [],
      orders = [],
      items = [];
    for (let u = from; u < Math.min(from + CHUNK, shoppers + 1); u++) {
      const f = syntheticFeatures(u, { orders: u % 5 });
      feats.push([u, new Date(f.asOf), new Date(f.sourceTs), JSON.stringify(f)]);
      for (let i = 0; i < f.orderCount; i++) {
        const cat = products.get((u + i) % 16)!;
        const at = new Date(now - (i * 20 + 1) * 86_400_000);
        orders.push([++orderId, u, 'paid', '4.99', at, 'bench', at]);
        items.push([orderId, orderId, cat.productIds[u % 3]!, cat.categoryId, 1, '9.99', 'bench', at]);
      }
    }
    await store.pool.query('INSERT INTO user_features (user_id, as_of, source_ts, features) VALUES ?', [feats]);
    if (orders.length) {
      await store.pool.query(
        'INSERT INTO fs_orders (order_id, user_id, status, delivery_charge, placed_at, src_pos, src_ts) VALUES ?',
        [orders],
      );
      await store.pool.query(
        `INSERT INTO fs_order_items (item_id, order_id, product_id, category_id, quantity, unit_price, src_pos, src_ts)
         VALUES ?`,
        [items],
      );
    }
    progress(Math.min(from + CHUNK - 1, shoppers));
  }
  return orderId;
}

/** A scratch shop and feature store in the running stack, seeded for a sweep of `shoppers`. */
export async function createSweepFixture(
  stack: StackSettings,
  shoppers: number,
  progress: (done: number) => void = () => {},
): Promise<SweepFixture> {
  const shop = await createScratchDatabase(stack, 'bench_shop');
  const store = await createScratchDatabase(stack, 'bench_fs', FEATURE_MIGRATIONS).catch(async (err: unknown) => {
    await shop.drop();
    throw err;
  });
  const drop = async () => {
    await shop.drop();
    await store.drop();
  };
  try {
    const orders = await seedStore(store, shoppers, await seedShop(shop), progress);
    return { shop, store, shoppers, orders, drop };
  } catch (err) {
    await drop();
    throw err;
  }
}
