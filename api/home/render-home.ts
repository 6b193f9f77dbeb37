import type { Recommendation } from '../../streams/recommendations/recommendation.ts';
import type { HomeBody, RecommendedCategoryBody, RecommendedProductBody } from '../schemas/home.ts';

/** Where a product's card image is served, as an absolute URL (the storefront may live on another origin). */
export type ImageUrlOf = (productId: number) => string;

export const productImageUrl =
  (publicUrl: string): ImageUrlOf =>
  (productId) =>
    `${publicUrl}/images/products/${productId}.svg`;

/** What popularity recommends to a shopper the model has nothing for (see cold-start.ts). */
export interface ColdStartPick {
  categories: RecommendedCategoryBody[];
  products: RecommendedProductBody[];
  computedAt: string;
}

export const GUEST_NICKNAME = 'guest';

/** A recommendations.v1 value as the storefront's /home body; products left empty fall back to popularity. */
export function renderHome(
  nickname: string,
  rec: Recommendation,
  imageUrl: ImageUrlOf,
  fallback: ColdStartPick,
): HomeBody {
  const products = rec.products.length
    ? rec.products.map((p) => ({
        product_id: p.productId,
        category_id: p.categoryId,
        title: p.title,
        price: p.price,
        image_url: imageUrl(p.productId),
      }))
    : fallback.products;
  return {
    user_nickname: nickname,
    recommendations: products,
    categories: rec.categories.map((c) => ({
      category_id: c.categoryId,
      name: c.name,
      score: c.score,
      reasons: c.reasons.map((r) => ({ code: r.code, text: r.text })),
    })),
    model_version: rec.modelVersion,
    recommendation_id: rec.recommendationId,
    produced_at: rec.producedAt,
    trigger: rec.trigger,
    cold_start: rec.coldStart,
  };
}

export function renderColdStart(nickname: string, pick: ColdStartPick): HomeBody {
  return {
    user_nickname: nickname,
    recommendations: pick.products,
    categories: pick.categories,
    model_version: 'popularity',
    recommendation_id: null,
    produced_at: pick.computedAt,
    trigger: 'cold-start',
    cold_start: true,
  };
}

/** recommendations.v1's order: a value replaces another only when it is newer by sourceTs, then producedAt. */
export function isNewer(a: Recommendation, b: Recommendation | undefined): boolean {
  if (!b) return true;
  const sa = Date.parse(a.sourceTs),
    sb = Date.parse(b.sourceTs);
  if (sa !== sb) return sa > sb;
  return Date.parse(a.producedAt) > Date.parse(b.producedAt);
}
