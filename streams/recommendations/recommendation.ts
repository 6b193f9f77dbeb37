import { z } from 'zod';
import { defineTopic } from '../topic.ts';

const isoTime = z.iso.datetime({ offset: true });

/** Why a category ranks high for this shopper, from the model's own inputs. */
export const reasonSchema = z.object({
  /** Machine code, stable across versions: e.g. `bought-category-recently`, `popular-in-region`, `coupon-user`. */
  code: z.string().min(1),
  /** The human sentence shown on the storefront: "You bought Drinkware 3 times in the last 30 days". */
  text: z.string().min(1),
  /** How much this reason contributed (the wide part's logit contribution, or a share for fallbacks). */
  weight: z.number().optional(),
});

export const rankedCategorySchema = z.object({
  /** Id of the `categories` row whose name is the model category. */
  categoryId: z.number().int().positive(),
  name: z.string(),
  /** The model's probability that the shopper's next order contains this category. */
  score: z.number().min(0).max(1),
  rank: z.number().int().min(1),
  reasons: z.array(reasonSchema),
});

export const recommendedProductSchema = z.object({
  productId: z.number().int().positive(),
  categoryId: z.number().int().positive(),
  title: z.string(),
  price: z.number().min(0),
  imageUrl: z.string(),
});

export const TRIGGERS = ['order', 'sweep', 'cold-start', 'model-change', 'command'] as const;

/**
 * One shopper's current recommendation. Values are only ever replaced by newer ones: order by
 * `sourceTs`, then `producedAt`. `recommendationId` is unique per value, so clicks and orders that
 * follow can be attributed to exactly what was shown.
 */
export const recommendationSchema = z.object({
  recommendationId: z.uuid(),
  userId: z.number().int().positive(),
  /** The registry version that scored it, or `popularity` when no model applies (cold start fallback). */
  modelVersion: z.string().min(1),
  trigger: z.enum(TRIGGERS),
  /** The sweep or command run that produced it, when it was one. */
  runId: z.string().nullable(),
  /** True when the shopper had no orders: ranked from their attributes or popularity alone. */
  coldStart: z.boolean(),
  /** All model categories, best first. */
  categories: z.array(rankedCategorySchema),
  /** What to show, in display order. */
  products: z.array(recommendedProductSchema),
  /** Commit time at the shop database of the change that caused it (carried from CDC through the features). */
  sourceTs: isoTime,
  producedAt: isoTime,
});

export type Recommendation = z.output<typeof recommendationSchema>;
export type RankedCategory = z.output<typeof rankedCategorySchema>;
export type RecommendedProduct = z.output<typeof recommendedProductSchema>;
export type Reason = z.output<typeof reasonSchema>;
export type Trigger = (typeof TRIGGERS)[number];

/** Compacted: each shopper's latest recommendation; a tombstone (null value) when the shopper is deleted. */
export const recommendationsTopic = defineTopic({
  name: 'recommendations.v1',
  schema: recommendationSchema,
  key: (r) => String(r.userId),
  cleanupPolicy: 'compact',
  description: "Each shopper's current recommendation (key: user id as a decimal string; null value: shopper deleted)",
});

/** What a challenger in shadow mode would have recommended; kept as history for the online comparison. */
export const shadowRecommendationsTopic = defineTopic({
  name: 'recommendations.shadow.v1',
  schema: recommendationSchema,
  key: (r) => String(r.userId),
  cleanupPolicy: 'delete',
  description: 'Recommendations a shadow (challenger) model would have made, beside the champion (key: user id)',
});
