import type { Pool } from '../../prisma/db/pool.ts';
import type { CategoryMap } from '../../features/category-map.ts';
import { classify } from '../../core/errors.ts';

export interface CatalogueProduct {
  productId: number;
  /** The product's own (raw) category row. */
  categoryId: number;
  modelIndex: number;
  title: string;
  price: number;
  imageUrl: string;
  unitsSold: number;
}

/** What scoring needs from the shop: products by model category, best-selling first, and category rows. */
export interface Catalogue {
  /** Model category names; index = model index. */
  categories: readonly string[];
  /** Per model index, best-selling first (then by id, so ties are stable). */
  byModel: CatalogueProduct[][];
  /** Per model index, the id of the `categories` row named like it (else its first raw member present), or null. */
  categoryIdOf: (number | null)[];
  /** Raw category id -> model index (-1 for a name the category map does not know). */
  modelOfRaw: Map<number, number>;
  /** Share of units sold per model index (uniform when nothing has sold yet): the popularity ranking. */
  popularity: Float64Array;
  productCount: number;
}

export interface CatalogueRows {
  categories: { id: number; name: string }[];
  products: { id: number; category_id: number; title: string; price: string; image_url: string; sold: string | null }[];
}

export function buildCatalogue(rows: CatalogueRows, map: CategoryMap): Catalogue {
  const K = map.model.length;
  const modelOfRaw = new Map(rows.categories.map((c) => [c.id, map.modelIndexOfRaw(c.name)]));
  const byName = new Map(rows.categories.map((c) => [c.name, c.id]));
  const categoryIdOf = map.model.map(
    (name, m) =>
      byName.get(name) ??
      map
        .rawOfModel(m)
        .map((r) => byName.get(map.raw[r]!))
        .find((id) => id) ??
      null,
  );
  const byModel: CatalogueProduct[][] = Array.from({ length: K }, () => []);
  const units = new Float64Array(K);
  for (const p of rows.products) {
    const m = modelOfRaw.get(p.category_id) ?? -1;
    if (m < 0) continue;
    const sold = Number(p.sold ?? 0);
    units[m]! += sold;
    byModel[m]!.push({
      productId: p.id,
      categoryId: p.category_id,
      modelIndex: m,
      title: p.title,
      price: Number(p.price),
      imageUrl: p.image_url,
      unitsSold: sold,
    });
  }
  for (const list of byModel) list.sort((a, b) => b.unitsSold - a.unitsSold || a.productId - b.productId);
  const total = units.reduce((a, b) => a + b, 0);
  const popularity = total > 0 ? units.map((u) => u / total) : new Float64Array(K).fill(1 / K);
  return { categories: map.model, byModel, categoryIdOf, modelOfRaw, popularity, productCount: rows.products.length };
}

/** Units sold count placed and paid orders only: a cancelled or refunded order sold nothing. */
export async function loadCatalogue(pool: Pool, map: CategoryMap): Promise<Catalogue> {
  try {
    const [categories] = await pool.query('SELECT id, name FROM categories');
    const [products] = await pool.query(
      `SELECT p.id, p.category_id, p.title, p.price, p.image_url, s.sold
       FROM products p LEFT JOIN (
         SELECT oi.product_id, SUM(oi.quantity) AS sold FROM order_items oi
         JOIN orders o ON o.id = oi.order_id AND o.status IN ('placed', 'paid') GROUP BY oi.product_id
       ) s ON s.product_id = p.id`,
    );
    return buildCatalogue(
      { categories: categories as CatalogueRows['categories'], products: products as CatalogueRows['products'] },
      map,
    );
  } catch (err) {
    throw classify(err, 'load the product catalogue');
  }
}
