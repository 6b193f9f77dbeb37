import { FEATURE_VERSION, type UserFeatures } from '../streams/features/user-features.ts';

/** What the feature code needs to know about one order line. */
export interface LineFacts {
  /** Model category index, or -1 while the product's category is unknown. */
  category: number;
  quantity: number;
  unitPrice: number;
}

export type OrderStatus = 'placed' | 'paid' | 'cancelled' | 'refunded';

export interface OrderFacts {
  orderId: number;
  placedAt: Date;
  status: OrderStatus;
  /** When the order left placed/paid; a cancellation after `asOf` did not exist yet at `asOf`. */
  statusChangedAt: Date | null;
  couponStatus: 'clicked' | 'used' | 'not_used' | null;
  deliveryCharge: number;
  lines: LineFacts[];
}

export interface ProfileFacts {
  gender: 'F' | 'M';
  region: string;
  tenureMonths: number;
}

export interface FeatureOptions {
  numCategories: number;
  lastN?: number;
  halfLifeDays?: number;
}

export interface FeatureInput {
  userId: number;
  profile: ProfileFacts | null;
  orders: readonly OrderFacts[];
  asOf: Date;
  /** Source commit time of the change that caused this computation; defaults to asOf. */
  sourceTs?: Date;
}

const DAY_MS = 86_400_000;
export const DEFAULT_LAST_N = 5;
export const DEFAULT_HALF_LIFE_DAYS = 30;

/** An order counts at `asOf` if it was placed by then and not yet cancelled or refunded by then. */
export function activeAt(o: OrderFacts, asOf: Date): boolean {
  if (o.placedAt.getTime() > asOf.getTime()) return false;
  if (o.status === 'placed' || o.status === 'paid') return true;
  return o.statusChangedAt !== null && o.statusChangedAt.getTime() > asOf.getTime();
}

export const seasonOf = (month1to12: number) => Math.floor((month1to12 % 12) / 3);

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The one feature function: the live store, replays, `features at` and model training all call it.
 * Pure and deterministic: the same facts and asOf give the same numbers, whatever order the
 * events arrived in. Nothing placed after `asOf` is looked at.
 */
export function computeUserFeatures(input: FeatureInput, opts: FeatureOptions): UserFeatures {
  const K = opts.numCategories;
  const lastN = opts.lastN ?? DEFAULT_LAST_N;
  const halfLife = opts.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const asOf = input.asOf.getTime();
  const orders = input.orders
    .filter((o) => activeAt(o, input.asOf))
    .sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.orderId - b.orderId);
  const catCounts = new Array<number>(K).fill(0);
  const catSpend = new Array<number>(K).fill(0);
  const catRecency = new Array<number>(K).fill(0);
  const catOrders = new Array<number>(K).fill(0);
  let lineCount = 0,
    totalSpend = 0,
    used = 0,
    clicked = 0,
    delivery = 0,
    deliveryMax = 0;
  // Calendar months as year * 12 + month: only their count is used, and toISOString per order is not free.
  const months = new Set<number>();
  const recent: number[] = [];
  for (const o of orders) {
    const decay = 0.5 ** ((asOf - o.placedAt.getTime()) / DAY_MS / halfLife);
    if (o.couponStatus === 'used') used++;
    if (o.couponStatus === 'clicked') clicked++;
    delivery += o.deliveryCharge;
    deliveryMax = Math.max(deliveryMax, o.deliveryCharge);
    months.add(o.placedAt.getUTCFullYear() * 12 + o.placedAt.getUTCMonth());
    // The categories this order's lines have counted so far (lines are few per order).
    const orderCats: number[] = [];
    for (const l of o.lines) {
      const spend = l.quantity * l.unitPrice;
      lineCount++;
      totalSpend += spend;
      if (l.category >= 0 && l.category < K) {
        if (!orderCats.includes(l.category)) {
          orderCats.push(l.category);
          catOrders[l.category]! += 1;
        }
        catCounts[l.category]! += 1;
        catSpend[l.category]! += spend;
        catRecency[l.category]! += decay;
      }
      recent.push(l.category);
    }
  }
  const n = orders.length;
  const first = orders[0]?.placedAt;
  const last = orders.at(-1)?.placedAt;
  const lastCategories = recent
    .filter((c) => c >= 0)
    .reverse()
    .slice(0, lastN);
  while (lastCategories.length < lastN) lastCategories.push(-1);
  return {
    userId: input.userId,
    featureVersion: FEATURE_VERSION,
    asOf: input.asOf.toISOString(),
    sourceTs: (input.sourceTs ?? input.asOf).toISOString(),
    gender: input.profile?.gender ?? null,
    region: input.profile?.region ?? null,
    tenureMonths: input.profile?.tenureMonths ?? null,
    orderCount: n,
    lineCount,
    totalSpend: round(totalSpend),
    avgBasketValue: n ? round(totalSpend / n) : 0,
    avgBasketLines: n ? round(lineCount / n) : 0,
    couponUseRate: n ? round(used / n) : 0,
    couponClickRate: n ? round(clicked / n) : 0,
    deliveryChargeMean: n ? round(delivery / n) : 0,
    deliveryChargeMax: round(deliveryMax),
    daysSinceLastOrder: last ? round((asOf - last.getTime()) / DAY_MS) : null,
    daysSinceFirstOrder: first ? round((asOf - first.getTime()) / DAY_MS) : null,
    activeMonths: months.size,
    lastOrderMonth: last ? last.getUTCMonth() + 1 : null,
    lastOrderSeason: last ? seasonOf(last.getUTCMonth() + 1) : null,
    catCounts,
    catSpend: catSpend.map(round),
    catRecency: catRecency.map(round),
    catOrders,
    lastCategories,
    recencyHalfLifeDays: halfLife,
  };
}
