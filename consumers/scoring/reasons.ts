import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { Reason } from '../../streams/recommendations/recommendation.ts';

export interface ReasonContext {
  categories: readonly string[];
  /** How many reasons per category at most. */
  max?: number;
}

const SEASONS = ['winter', 'spring', 'summer', 'autumn'];

const seasonOf = (iso: string) => SEASONS[Math.floor(((new Date(iso).getUTCMonth() + 1) % 12) / 3)]!;

/**
 * Each wide slot's mean contribution over all categories ([W]); the same for every category a
 * shopper's reasons are asked for, so a recommendation computes it once, not per top category.
 */
export function slotMeans(wide: Float32Array, K: number): Float64Array {
  const W = wide.length / K;
  const means = new Float64Array(W);
  for (let s = 0; s < W; s++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += wide[s * K + k]!;
    means[s] = sum / K;
  }
  return means;
}

/**
 * The wide slots of the model (WIDE_SLOTS, in its order): 0 gender x season, 1 region,
 * 2 coupon bucket x season, 3 tenure bucket, 4 last category x gender, then K slots of
 * region x category x bought and K of coupon bucket x category x bought.
 */
function describeSlot(s: number, c: number, f: UserFeatures, ctx: ReasonContext): Omit<Reason, 'weight'> | null {
  const K = ctx.categories.length;
  const name = ctx.categories[c]!;
  const n = f.catCounts[c] ?? 0;
  const bought = n > 0;
  const recent = bought && (f.lastCategories ?? []).includes(c);
  if ((s === 5 + c || s === 5 + K + c) && bought)
    return {
      code: recent ? 'bought-category-recently' : 'bought-category',
      text: `You bought ${name} ${n === 1 ? 'once' : `${n} times`}${recent ? ', most recently among your last orders' : ''}`,
    };
  if ((s === 1 || s === 5 + c) && f.region)
    return { code: 'popular-in-region', text: `Popular with shoppers in ${f.region}` };
  if ((s === 2 || s === 5 + K + c) && f.orderCount > 0 && f.couponUseRate >= 0.5)
    return { code: 'coupon-user', text: `Often chosen by shoppers who use coupons, as you do` };
  if (s === 0 || s === 2) return { code: 'seasonal', text: `Popular in ${seasonOf(f.asOf)}` };
  if (s === 3 && f.tenureMonths !== null)
    return { code: 'similar-tenure', text: 'Popular with shoppers who joined around when you did' };
  const last = f.lastCategories?.[0] ?? -1;
  if (s === 4 && last >= 0 && last < K)
    return { code: 'follows-last-purchase', text: `Often bought after ${ctx.categories[last]}` };
  return null;
}

/**
 * Reasons for category c from the wide part's strongest active features: each slot's logit
 * contribution to c above its mean over all categories (softmax only sees differences), best
 * first, one reason per code. `wide` is the [W, K] slice of this shopper's contributions.
 */
export function modelReasons(
  f: UserFeatures,
  c: number,
  wide: Float32Array | null,
  ctx: ReasonContext,
  means: Float64Array | null = wide && slotMeans(wide, ctx.categories.length),
): Reason[] {
  const K = ctx.categories.length;
  const out: Reason[] = [];
  if (wide && means) {
    const lift: { s: number; v: number }[] = [];
    for (let s = 0; s < means.length; s++) {
      const v = wide[s * K + c]! - means[s]!;
      // Only a positive lift can give a reason; the sort is stable, so ties keep slot order.
      if (v > 0) lift.push({ s, v });
    }
    lift.sort((a, b) => b.v - a.v);
    for (const { s, v } of lift) {
      if (out.length >= (ctx.max ?? 2)) break;
      const r = describeSlot(s, c, f, ctx);
      if (r && !out.some((o) => o.code === r.code)) out.push({ ...r, weight: Number(v.toFixed(4)) });
    }
  }
  if (out.length === 0) out.push(fallbackReason(f, c, ctx));
  return out;
}

/** When the wide part has nothing positive to say: the deep part's pattern, or plain popularity. */
export function fallbackReason(f: UserFeatures | null, c: number, ctx: ReasonContext): Reason {
  const n = f?.catCounts[c] ?? 0;
  if (n > 0)
    return { code: 'bought-category', text: `You bought ${ctx.categories[c]} ${n === 1 ? 'once' : `${n} times`}` };
  if (f && f.orderCount > 0)
    return { code: 'shopping-pattern', text: 'Matches what shoppers with orders like yours buy next' };
  return { code: 'popular', text: `${ctx.categories[c]} is popular in the shop` };
}
