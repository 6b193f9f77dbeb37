import type { UserFeatures } from '../../streams/features/user-features.ts';
import { COUPON_BUCKETS, TENURE_BUCKETS, type LayoutSizes } from './feature-layout.ts';

/**
 * Row-level transforms of one UserFeatures into unscaled numeric columns and one-hot ids, in
 * the order feature-layout.ts names them. Pure; the fitted encoder adds scaling and the region
 * vocabulary. Training and serving both call these, so they cannot drift apart.
 */
const log1p = Math.log1p;
const YEAR_MS = 365.25 * 86_400_000;

export interface RowContext extends LayoutSizes {
  regionIndex: (region: string | null) => number;
}

export function tenureBucket(f: UserFeatures): number {
  return f.tenureMonths === null ? TENURE_BUCKETS - 1 : Math.min(TENURE_BUCKETS - 2, Math.floor(f.tenureMonths / 10));
}

/** 0: no orders yet (behaviour unknown); 1..4: quartile of the coupon use rate. */
export function couponBucket(f: UserFeatures): number {
  return f.orderCount === 0 ? 0 : 1 + Math.min(COUPON_BUCKETS - 2, Math.floor(f.couponUseRate * (COUPON_BUCKETS - 1)));
}

const genderIndex = (f: UserFeatures) => (f.gender === 'F' ? 1 : f.gender === 'M' ? 2 : 0);

// A sweep encodes a million rows with the same asOf: parse each distinct string once, not 3x per row.
let lastAsOf = '';
let lastCalendar = { month: 0, season: 0, yearFraction: 0 };

export function asOfCalendar(f: UserFeatures): { month: number; season: number; yearFraction: number } {
  if (f.asOf === lastAsOf) return lastCalendar;
  const at = new Date(f.asOf);
  const month = at.getUTCMonth();
  const start = Date.UTC(at.getUTCFullYear(), 0, 1);
  lastCalendar = { month, season: Math.floor(((month + 1) % 12) / 3), yearFraction: (at.getTime() - start) / YEAR_MS };
  lastAsOf = f.asOf;
  return lastCalendar;
}

function topCategory(f: UserFeatures, K: number): number {
  let best = K;
  for (let c = 0; c < K; c++)
    if ((f.catCounts[c] ?? 0) > 0 && (best === K || f.catCounts[c]! > f.catCounts[best]!)) best = c;
  return best;
}

export function rawNumeric(f: UserFeatures, K: number, out: Float32Array, at: number): void {
  const { yearFraction } = asOfCalendar(f);
  const angle = 2 * Math.PI * yearFraction;
  const scalars = [
    f.tenureMonths ?? 0,
    f.tenureMonths === null ? 1 : 0,
    log1p(f.orderCount),
    log1p(f.lineCount),
    log1p(f.totalSpend),
    log1p(f.avgBasketValue),
    log1p(f.avgBasketLines),
    f.couponUseRate,
    f.couponClickRate,
    log1p(f.deliveryChargeMean),
    log1p(f.deliveryChargeMax),
    log1p(f.daysSinceLastOrder ?? 0),
    f.orderCount > 0 ? 1 : 0,
    log1p(f.daysSinceFirstOrder ?? 0),
    f.activeMonths,
    Math.sin(angle),
    Math.cos(angle),
  ];
  let j = at;
  for (const v of scalars) out[j++] = v;
  let counts = 0,
    recency = 0;
  for (let c = 0; c < K; c++) {
    counts += f.catCounts[c] ?? 0;
    recency += f.catRecency[c] ?? 0;
  }
  for (let c = 0; c < K; c++) {
    const n = f.catCounts[c] ?? 0,
      r = f.catRecency[c] ?? 0;
    out[j++] = counts ? n / counts : 0;
    out[j++] = recency ? r / recency : 0;
    out[j++] = log1p(n);
    out[j++] = log1p(r);
  }
}

export function deepIds(f: UserFeatures, ctx: RowContext, out: Int32Array, at: number): void {
  const cal = asOfCalendar(f);
  const cats = ctx.K + 1;
  let base = 0,
    j = at;
  const put = (id: number, size: number) => {
    out[j++] = base + id;
    base += size;
  };
  put(genderIndex(f), 3);
  put(ctx.regionIndex(f.region), ctx.regions);
  put(tenureBucket(f), TENURE_BUCKETS);
  put(couponBucket(f), COUPON_BUCKETS);
  put(cal.month, 12);
  put(cal.season, 4);
  put(f.lastOrderSeason ?? 4, 5);
  put(topCategory(f, ctx.K), cats);
  for (let i = 0; i < ctx.lastN; i++) {
    const c = f.lastCategories[i] ?? -1;
    out[j++] = base + (c >= 0 && c < ctx.K ? c : ctx.K);
  }
}

export function wideIds(f: UserFeatures, ctx: RowContext, out: Int32Array, at: number): void {
  const cal = asOfCalendar(f);
  const K = ctx.K,
    cats = K + 1;
  const g = genderIndex(f),
    region = ctx.regionIndex(f.region),
    coupon = couponBucket(f);
  const last = f.lastCategories[0] ?? -1;
  let base = 0,
    j = at;
  const put = (id: number, size: number) => {
    out[j++] = base + id;
    base += size;
  };
  put(g * 4 + cal.season, 12);
  put(region, ctx.regions);
  put(coupon * 4 + cal.season, COUPON_BUCKETS * 4);
  put(tenureBucket(f), TENURE_BUCKETS);
  put((last >= 0 && last < K ? last : K) * 3 + g, cats * 3);
  const bought = (c: number) => ((f.catCounts[c] ?? 0) > 0 ? 1 : 0);
  for (let c = 0; c < K; c++) out[j++] = base + (region * K + c) * 2 + bought(c);
  base += ctx.regions * K * 2;
  for (let c = 0; c < K; c++) out[j++] = base + (coupon * K + c) * 2 + bought(c);
}
