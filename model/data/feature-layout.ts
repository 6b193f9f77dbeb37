import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FEATURE_VERSION, userFeaturesSchema } from '../../streams/features/user-features.ts';

/**
 * How UserFeatures become the model's three inputs. Everything here is code, not data: the
 * schema hash covers it, so a model trained against one layout cannot be served by another.
 * Bump ENCODER_VERSION when a transform changes meaning without changing a name.
 */
export const ENCODER_VERSION = 1;

/**
 * One annual harmonic of the snapshot's day of year: it lets seasonal effects learnt in some
 * months carry to the others; a second harmonic extrapolated badly to months unseen in training.
 */
export const SCALAR_COLUMNS = [
  'tenureMonths',
  'profileMissing',
  'log1p_orderCount',
  'log1p_lineCount',
  'log1p_totalSpend',
  'log1p_avgBasketValue',
  'log1p_avgBasketLines',
  'couponUseRate',
  'couponClickRate',
  'log1p_deliveryChargeMean',
  'log1p_deliveryChargeMax',
  'log1p_daysSinceLastOrder',
  'hasOrders',
  'log1p_daysSinceFirstOrder',
  'activeMonths',
  'sin_dayOfYear',
  'cos_dayOfYear',
] as const;

/** Per model category c, in this order. */
export const CATEGORY_COLUMNS = ['countShare', 'recencyShare', 'log1p_count', 'log1p_recency'] as const;

export const TENURE_BUCKETS = 7;
export const COUPON_BUCKETS = 5;

/** Deep part: one embedding row per slot; lastCategory slots share one block. */
export const DEEP_SLOTS = [
  'gender',
  'region',
  'tenureBucket',
  'couponBucket',
  'asOfMonth',
  'asOfSeason',
  'lastOrderSeason',
  'topCategory',
  'lastCategory[i]',
] as const;

/** Wide part: one-hot ids of single and crossed features; the per-category crosses take K slots each. */
export const WIDE_SLOTS = [
  'gender x asOfSeason',
  'region',
  'couponBucket x asOfSeason',
  'tenureBucket',
  'lastCategory[0] x gender',
  'region x category c x bought c',
  'couponBucket x category c x bought c',
] as const;

export interface LayoutSizes {
  /** Model categories. */
  K: number;
  lastN: number;
  /** Region vocabulary size, including the slot for unknown/null. */
  regions: number;
}

export interface Layout {
  numeric: number;
  deep: number;
  wide: number;
  deepVocab: number;
  wideVocab: number;
  numericNames: string[];
}

export function layoutOf(s: LayoutSizes): Layout {
  const cats = s.K + 1;
  const deepVocab = 3 + s.regions + TENURE_BUCKETS + COUPON_BUCKETS + 12 + 4 + 5 + cats + cats;
  const wideVocab =
    3 * 4 + s.regions + COUPON_BUCKETS * 4 + TENURE_BUCKETS + cats * 3 + s.regions * s.K * 2 + COUPON_BUCKETS * s.K * 2;
  const numericNames = [...(SCALAR_COLUMNS as readonly string[])];
  for (let c = 0; c < s.K; c++) for (const col of CATEGORY_COLUMNS) numericNames.push(`${col}[${c}]`);
  return { numeric: numericNames.length, deep: 8 + s.lastN, wide: 5 + 2 * s.K, deepVocab, wideVocab, numericNames };
}

/**
 * Hash of everything the serving code must agree on: the feature contract (zod schema and
 * version) and the encoder's layout. Category names and vocabularies are data and travel in the
 * artifact; the hash is of code.
 */
export function featureSchemaHash(): string {
  const contract = {
    featureVersion: FEATURE_VERSION,
    features: z.toJSONSchema(userFeaturesSchema),
    encoderVersion: ENCODER_VERSION,
    scalar: SCALAR_COLUMNS,
    perCategory: CATEGORY_COLUMNS,
    deep: DEEP_SLOTS,
    wide: WIDE_SLOTS,
    buckets: { tenure: TENURE_BUCKETS, coupon: COUPON_BUCKETS },
  };
  return createHash('sha256').update(JSON.stringify(contract)).digest('hex');
}
