import type { ColdStartPick, ImageUrlOf } from './render-home.ts';

/** A product with how many units of it were sold (0 when the shop has no orders yet). */
export interface SoldProduct {
  productId: number;
  categoryId: number;
  categoryName: string;
  title: string;
  price: number;
  sold: number;
}

export interface PopularityShape {
  categories: number;
  perCategory: number;
}

export const DEFAULT_POPULARITY: PopularityShape = { categories: 4, perCategory: 3 };

/**
 * Cold start: the best-selling products of the most popular categories, categories best first and
 * each one's products best first. Scores are the category's share of units sold.
 */
export function pickPopular(
  sold: readonly SoldProduct[],
  imageUrl: ImageUrlOf,
  now: Date,
  shape: PopularityShape = DEFAULT_POPULARITY,
): ColdStartPick {
  const byCategory = new Map<number, { name: string; units: number; products: SoldProduct[] }>();
  for (const p of sold) {
    const c = byCategory.get(p.categoryId) ?? { name: p.categoryName, units: 0, products: [] };
    c.units += p.sold;
    c.products.push(p);
    byCategory.set(p.categoryId, c);
  }
  const total = [...byCategory.values()].reduce((a, c) => a + c.units, 0);
  const top = [...byCategory.entries()]
    .sort(([ia, a], [ib, b]) => b.units - a.units || ia - ib)
    .slice(0, shape.categories);
  const reason = total
    ? { code: 'popular', text: 'Popular with other shoppers' }
    : { code: 'new-in-shop', text: 'New in the shop' };
  return {
    categories: top.map(([id, c]) => ({
      category_id: id,
      name: c.name,
      score: total ? c.units / total : 0,
      reasons: [reason],
    })),
    products: top.flatMap(([, c]) =>
      [...c.products]
        .sort((a, b) => b.sold - a.sold || a.productId - b.productId)
        .slice(0, shape.perCategory)
        .map((p) => ({
          product_id: p.productId,
          category_id: p.categoryId,
          title: p.title,
          price: p.price,
          image_url: imageUrl(p.productId),
        })),
    ),
    computedAt: now.toISOString(),
  };
}
