import { randomUUID } from 'node:crypto';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { RankedCategory, Recommendation, Trigger } from '../../streams/recommendations/recommendation.ts';
import type { Catalogue } from './catalogue.ts';
import type { RecommendationOptions } from './config.ts';
import { pickProducts } from './pick-products.ts';
import type { PurchaseHistory } from './purchase-history.ts';
import { fallbackReason, modelReasons, slotMeans } from './reasons.ts';

export const POPULARITY_VERSION = 'popularity';

export interface RecommendationInput {
  features: UserFeatures;
  /** One probability per catalogue model category (catalogue order). */
  scores: ArrayLike<number>;
  /** This shopper's wide contributions [W, K] in catalogue category order, or null (popularity). */
  wide: Float32Array | null;
  modelVersion: string;
  trigger: Trigger;
  runId: string | null;
  catalogue: Catalogue;
  history: PurchaseHistory;
  opts: RecommendationOptions;
  now: Date;
}

/** Ranks all categories the shop has a row for, explains the top ones and picks the products. */
export function buildRecommendation(input: RecommendationInput): Recommendation {
  const { features: f, scores, catalogue } = input;
  const K = catalogue.categories.length;
  const order = Array.from({ length: K }, (_, c) => c)
    .filter((c) => catalogue.categoryIdOf[c] !== null)
    .sort((a, b) => scores[b]! - scores[a]! || a - b);
  const ctx = { categories: catalogue.categories };
  const means = input.wide && slotMeans(input.wide, K);
  const categories: RankedCategory[] = order.map((c, i) => ({
    categoryId: catalogue.categoryIdOf[c]!,
    name: catalogue.categories[c]!,
    score: Math.min(1, Math.max(0, Number(scores[c]!.toFixed(6)))),
    rank: i + 1,
    reasons:
      i >= input.opts.topCategories
        ? []
        : input.modelVersion === POPULARITY_VERSION
          ? [{ ...fallbackReason(null, c, ctx), weight: Number(scores[c]!.toFixed(4)) }]
          : modelReasons(f, c, input.wide, ctx, means),
  }));
  return {
    recommendationId: randomUUID(),
    userId: f.userId,
    modelVersion: input.modelVersion,
    trigger: input.trigger,
    runId: input.runId,
    coldStart: f.orderCount === 0,
    categories,
    products: pickProducts(order, catalogue, input.history, input.opts),
    sourceTs: new Date(f.sourceTs).toISOString(),
    producedAt: input.now.toISOString(),
  };
}
