import type { UserFeatures } from '../../streams/features/user-features.ts';

const K = 16;

/** Valid features for a shopper with `orders` orders spread over a few categories (scoring and sweep tests). */
export function syntheticFeatures(
  userId: number,
  opts: { orders?: number; sourceTs?: string; region?: string } = {},
): UserFeatures {
  const orders = opts.orders ?? 0;
  const catCounts = new Array<number>(K).fill(0);
  for (let i = 0; i < orders; i++) catCounts[(userId + i) % K]! += 1;
  const at = opts.sourceTs ?? new Date().toISOString();
  return {
    userId,
    featureVersion: 1,
    asOf: at,
    sourceTs: at,
    gender: userId % 2 ? 'F' : 'M',
    region: opts.region ?? (userId % 3 ? 'Chicago' : 'New York'),
    tenureMonths: userId % 40,
    orderCount: orders,
    lineCount: orders,
    totalSpend: orders * 20,
    avgBasketValue: orders ? 20 : 0,
    avgBasketLines: orders ? 1 : 0,
    couponUseRate: orders ? 0.5 : 0,
    couponClickRate: 0,
    deliveryChargeMean: orders ? 6 : 0,
    deliveryChargeMax: orders ? 6 : 0,
    daysSinceLastOrder: orders ? 3 : null,
    daysSinceFirstOrder: orders ? 30 : null,
    activeMonths: orders ? 1 : 0,
    lastOrderMonth: orders ? 11 : null,
    lastOrderSeason: orders ? 3 : null,
    catCounts,
    catSpend: catCounts.map((n) => n * 20),
    catRecency: catCounts.map((n) => n * 0.9),
    lastCategories: Array.from({ length: 5 }, (_, i) => (i < orders ? (userId + orders - 1 - i) % K : -1)),
    recencyHalfLifeDays: 30,
  };
}
