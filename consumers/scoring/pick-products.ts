import type { RecommendedProduct } from '../../streams/recommendations/recommendation.ts';
import type { Catalogue, CatalogueProduct } from './catalogue.ts';
import type { RecommendationOptions } from './config.ts';
import type { PurchaseHistory } from './purchase-history.ts';

/**
 * The products to show: best-sellers of the best-ranked categories. A product the shopper bought
 * recently is left out unless they re-buy in its category; no category takes more than
 * `maxPerCategory` slots while another ranked category can fill one, so a dominant category
 * never takes the whole grid. Lower-ranked categories fill what the top ones cannot.
 */
export function pickProducts(
  rankedModel: readonly number[],
  catalogue: Catalogue,
  history: PurchaseHistory,
  opts: Pick<RecommendationOptions, 'products' | 'topCategories' | 'maxPerCategory' | 'rebuyOrders'>,
): RecommendedProduct[] {
  // Eligibility is checked lazily as each list is walked: the grid needs a handful of products,
  // and filtering every category's whole list per recommendation was a hot spot of the scorer.
  const eligible = (m: number, p: CatalogueProduct) =>
    (history.ordersPerModel.get(m) ?? 0) >= opts.rebuyOrders || !history.recentProducts.has(p.productId);
  const chosen: CatalogueProduct[] = [];
  const taken = new Set<number>();
  const perModel = new Map<number, number>();
  const take = (m: number, limit: number) => {
    for (const p of catalogue.byModel[m] ?? []) {
      if (chosen.length >= opts.products || limit <= 0) return;
      if (taken.has(p.productId) || !eligible(m, p)) continue;
      chosen.push(p);
      taken.add(p.productId);
      perModel.set(m, (perModel.get(m) ?? 0) + 1);
      limit--;
    }
  };
  // First the top categories under the cap, then every ranked category under the cap, then without it.
  for (const m of rankedModel.slice(0, opts.topCategories)) take(m, opts.maxPerCategory);
  for (const m of rankedModel) take(m, opts.maxPerCategory - (perModel.get(m) ?? 0));
  for (const m of rankedModel) take(m, Infinity);
  return chosen.map((p) => ({
    productId: p.productId,
    categoryId: p.categoryId,
    title: p.title,
    price: p.price,
    imageUrl: p.imageUrl,
  }));
}
