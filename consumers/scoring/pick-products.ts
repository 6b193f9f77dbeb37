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
  const eligible = (m: number): CatalogueProduct[] => {
    const rebuys = (history.ordersPerModel.get(m) ?? 0) >= opts.rebuyOrders;
    return (catalogue.byModel[m] ?? []).filter((p) => rebuys || !history.recentProducts.has(p.productId));
  };
  const chosen: CatalogueProduct[] = [];
  const taken = new Set<number>();
  const take = (list: CatalogueProduct[], limit: number) => {
    for (const p of list) {
      if (chosen.length >= opts.products || limit <= 0) return;
      if (taken.has(p.productId)) continue;
      chosen.push(p);
      taken.add(p.productId);
      limit--;
    }
  };
  const pools = rankedModel.map((m) => eligible(m));
  const top = pools.slice(0, opts.topCategories);
  // First the top categories under the cap, then every ranked category under the cap, then without it.
  for (const list of top) take(list, opts.maxPerCategory);
  for (const list of pools) take(list, opts.maxPerCategory - list.filter((p) => taken.has(p.productId)).length);
  for (const list of pools) take(list, Infinity);
  return chosen.map((p) => ({
    productId: p.productId,
    categoryId: p.categoryId,
    title: p.title,
    price: p.price,
    imageUrl: p.imageUrl,
  }));
}
