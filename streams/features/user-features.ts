import { z } from 'zod';
import { defineTopic } from '../topic.ts';

/** Bumped only together with a new topic name (features.user.v2) when a field changes meaning. */
export const FEATURE_VERSION = 1;

const count = z.number().int().min(0);
const amount = z.number().finite().min(0);

/**
 * One shopper's features as of `asOf`, computed only from changes committed at or before it.
 * Per-category vectors are indexed by model category (see the category map), length K.
 * `catRecency` is a decayed count anchored at `asOf`: to read it at a later time t, multiply by
 * 0.5 ** ((t - asOf) / halfLife).
 */
export const userFeaturesSchema = z.object({
  userId: z.number().int().positive(),
  featureVersion: z.literal(FEATURE_VERSION),
  /** The time these features describe (ISO); for the live store, the source time of the last change. */
  asOf: z.string(),
  /** Commit time at the shop database of the change that caused this version (ISO). */
  sourceTs: z.string(),
  gender: z.enum(['F', 'M']).nullable(),
  region: z.string().nullable(),
  tenureMonths: count.nullable(),
  orderCount: count,
  lineCount: count,
  totalSpend: amount,
  avgBasketValue: amount,
  avgBasketLines: amount,
  couponUseRate: z.number().min(0).max(1),
  couponClickRate: z.number().min(0).max(1),
  deliveryChargeMean: amount,
  deliveryChargeMax: amount,
  daysSinceLastOrder: z.number().min(0).nullable(),
  daysSinceFirstOrder: z.number().min(0).nullable(),
  activeMonths: count,
  /** 1..12, UTC. */
  lastOrderMonth: z.number().int().min(1).max(12).nullable(),
  /** 0 winter (Dec-Feb), 1 spring, 2 summer, 3 autumn. */
  lastOrderSeason: z.number().int().min(0).max(3).nullable(),
  catCounts: z.array(count),
  catSpend: z.array(amount),
  catRecency: z.array(amount),
  /**
   * Active orders with at least one line in each category (length K). Added after the first
   * release: features published before it lack the field.
   */
  catOrders: z.array(count).optional(),
  /** Model categories of the most recent lines, newest first, padded with -1. */
  lastCategories: z.array(z.number().int().min(-1)),
  recencyHalfLifeDays: z.number().positive(),
});

export type UserFeatures = z.output<typeof userFeaturesSchema>;

/**
 * Compacted: the latest features per shopper. A null value (tombstone) means the shopper was deleted.
 * Downstream scoring consumes it; analysts can read it with any Kafka client.
 */
export const userFeaturesTopic = defineTopic({
  name: 'features.user.v1',
  schema: userFeaturesSchema,
  key: (f) => String(f.userId),
  cleanupPolicy: 'compact',
  description: "Each shopper's current features, published on every change (key: user id as a decimal string)",
});
