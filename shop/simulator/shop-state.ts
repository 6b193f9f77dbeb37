import { ValidationError, classify } from '../../core/errors.ts';
import type { Pool } from '../../prisma/db/pool.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import { couponKey } from '../db-writer.ts';
import type { Catalog, Product } from '../generator/catalog.ts';
import { cumulative } from '../rng.ts';
import type { CustomerRow, Gender } from '../shop-rows.ts';

/**
 * What the simulator needs from the live shop, loaded once: users in typed arrays (a million
 * users fit in a few tens of MiB), products arranged as the basket sampler's shelves, coupons.
 */
export interface ShopState {
  userCount: number;
  userId(i: number): number;
  customerAt(i: number): CustomerRow;
  catalog: Catalog;
  /** By catalog product index. */
  productIds: Int32Array;
  categoryIds: Map<string, number>;
  coupons: Map<string, number>;
}

const PAGE = 50_000;

export async function loadShopState(deps: {
  pool: Pool;
  categoryMap: CategoryMap;
  popularity: (sku: string) => number;
  rawShares: Float64Array[];
}): Promise<ShopState> {
  try {
    const users = await loadUsers(deps.pool);
    if (users.ids.length === 0)
      throw new ValidationError('the shop has no users: run `npm run data -- generate` or `import` first');
    const products = await loadProducts(deps);
    if (products.catalog.products.length === 0)
      throw new ValidationError('the shop has no products of known categories');
    const [coupons] = await deps.pool.query('SELECT id, month, category_id FROM coupons');
    return {
      userCount: users.ids.length,
      userId: (i) => users.ids[i]!,
      customerAt: (i) => ({
        customerId: users.refs[i] ?? `user-${users.ids[i]}`,
        gender: users.gender[i] === 1 ? 'F' : 'M',
        region: users.regions[users.region[i]!]!,
        tenureMonths: users.tenure[i]!,
      }),
      ...products,
      coupons: new Map(
        (coupons as { id: number; month: number; category_id: number }[]).map((c) => [
          couponKey(c.month, c.category_id),
          c.id,
        ]),
      ),
    };
  } catch (cause) {
    throw classify(cause, 'load the shop for simulation');
  }
}

async function loadUsers(pool: Pool) {
  const ids: number[] = [];
  const refs: (string | null)[] = [];
  const gender: number[] = [];
  const region: number[] = [];
  const tenure: number[] = [];
  const regions: string[] = [];
  for (let after = 0; ;) {
    const [rows] = await pool.query(
      'SELECT id, external_ref, gender, region, tenure_months FROM users WHERE id > ? ORDER BY id LIMIT ?',
      [after, PAGE],
    );
    const page = rows as {
      id: number;
      external_ref: string | null;
      gender: Gender;
      region: string;
      tenure_months: number;
    }[];
    for (const u of page) {
      ids.push(u.id);
      refs.push(u.external_ref);
      gender.push(u.gender === 'F' ? 1 : 0);
      let r = regions.indexOf(u.region);
      if (r < 0) r = regions.push(u.region) - 1;
      region.push(r);
      tenure.push(u.tenure_months);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return {
    ids: Int32Array.from(ids),
    refs,
    gender: Uint8Array.from(gender),
    region: Uint16Array.from(region),
    tenure: Int32Array.from(tenure),
    regions,
  };
}

async function loadProducts(deps: {
  pool: Pool;
  categoryMap: CategoryMap;
  popularity: (sku: string) => number;
  rawShares: Float64Array[];
}) {
  const map = deps.categoryMap;
  const [rows] = await deps.pool.query(
    'SELECT p.id, p.sku, p.title, p.price, c.id AS category_id, c.name FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id',
  );
  const categoryIds = new Map<string, number>();
  const products: Product[] = [];
  const productIds: number[] = [];
  for (const r of rows as {
    id: number;
    sku: string;
    title: string;
    price: string;
    category_id: number;
    name: string;
  }[]) {
    const raw = map.rawIndex(r.name);
    if (raw < 0) continue;
    categoryIds.set(map.raw[raw]!, r.category_id);
    products.push({
      index: products.length,
      sku: r.sku,
      description: r.title,
      rawIndex: raw,
      modelIndex: map.rawToModel[raw]!,
      price: Number(r.price),
    });
    productIds.push(r.id);
  }
  const shelves = map.raw.map((_, raw) => {
    const list = products.filter((p) => p.rawIndex === raw);
    return { products: list, popularity: cumulative(list.map((p) => deps.popularity(p.sku))) };
  });
  const rawWithinModel = map.model.map((_, m) => {
    const raw = map.rawOfModel(m);
    // A raw category without products gets no share, so its model category's lines go to its siblings.
    return { raw, cum: cumulative(raw.map((r, k) => (shelves[r]!.products.length ? deps.rawShares[m]![k]! : 0))) };
  });
  return { catalog: { products, shelves, rawWithinModel }, productIds: Int32Array.from(productIds), categoryIds };
}
