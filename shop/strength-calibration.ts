import { createRepeatRateAccumulator, type RepeatRate } from './concentration.ts';
import { createShopGenerator } from './generator/shop-generator.ts';
import { toSalesLines } from './generator/sales-lines.ts';

/**
 * Solves the generator's `strength` from a measured repeat-category rate (concentration.ts):
 * the strength at which a default-scale generated shop shows the same rate. Used once to set
 * DEFAULT_STRENGTH from the real data, and by `npm run data -- stats --calibrate DIR` so
 * anyone holding the full real files can re-derive it.
 */
export function repeatRateOfGenerated(opts: { strength: number; seed: number; shoppers?: number }): RepeatRate {
  const gen = createShopGenerator({ seed: opts.seed, shoppers: opts.shoppers ?? 1468, strength: opts.strength });
  const acc = createRepeatRateAccumulator(gen.categoryMap);
  for (const g of gen.generate()) for (const l of toSalesLines(g, gen.categoryMap.raw)) acc.add(l);
  return acc.result();
}

export interface StrengthFit {
  strength: number;
  /** Mean excess (rate - baseline) of the generated shops at that strength. */
  achieved: number;
  /** The measured excess it was fitted to. */
  target: number;
}

/** The part of R that shopper signal explains: R minus the same lines' sum_c share_c^2. */
export const excessOf = (r: RepeatRate): number => r.rate - r.baseline;

/**
 * Bisection on strength for a measured excess. The excess, not R itself, is matched so that a
 * sample whose category mix differs a little from the population's (a window of the real file)
 * does not masquerade as shopper signal. The same seeds at every step (common random numbers)
 * keep the generated excess a smooth, increasing function of strength.
 */
export function strengthForExcess(
  target: number,
  opts: { seeds?: number[]; shoppers?: number; max?: number; steps?: number } = {},
): StrengthFit {
  const seeds = opts.seeds ?? [1, 2, 3];
  const excessAt = (strength: number) =>
    seeds.reduce((a, seed) => a + excessOf(repeatRateOfGenerated({ strength, seed, shoppers: opts.shoppers })), 0) /
    seeds.length;
  let lo = 0;
  let hi = opts.max ?? 4;
  if (excessAt(lo) >= target) return { strength: 0, achieved: excessAt(0), target };
  for (let i = 0; i < (opts.steps ?? 12); i++) {
    const mid = (lo + hi) / 2;
    if (excessAt(mid) < target) lo = mid;
    else hi = mid;
  }
  const strength = Math.round(((lo + hi) / 2) * 100) / 100;
  return { strength, achieved: excessAt(strength), target };
}
