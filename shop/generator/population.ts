import type { Calibration } from '../calibration.ts';
import { createRng, hashString, permutation } from '../rng.ts';
import type { CustomerRow } from '../shop-rows.ts';

/**
 * Who the shoppers are (the observable attributes in CustomersData). Gender and region are
 * stratified through seeded permutations, so the default scale reproduces the published counts
 * exactly (934 F, California 464, ...) and any other scale reproduces the shares.
 */
export interface Population {
  count: number;
  regions: readonly string[];
  attributesAt(index: number): CustomerRow;
  /**
   * Where this shopper ranks in activity, in (0, 1): stratified like gender and region, so the
   * total number of transactions at any scale is the target mean times the shoppers, not a
   * sum of heavy-tailed draws that wanders by +-3% at the default scale.
   */
  activityQuantileAt(index: number): number;
}

/** Kaggle's customer ids are 5-digit numbers starting at 12346; keep that look. */
export const FIRST_CUSTOMER_ID = 12346;

export function createPopulation(deps: { seed: number; shoppers: number; calibration: Calibration }): Population {
  const { seed, shoppers: n, calibration } = deps;
  const regions = Object.keys(calibration.regions);
  const regionEnds = cumulativeCounts(allocate(n, Object.values(calibration.regions)));
  const females = Math.round(n * calibration.gender.F);
  const genderPerm = permutation(createRng(seed, hashString('gender')), n);
  const regionPerm = permutation(createRng(seed, hashString('region')), n);
  const activityPerm = permutation(createRng(seed, hashString('activity')), n);
  const tenureSpan = calibration.tenureMonths.max - calibration.tenureMonths.min + 1;
  return {
    count: n,
    regions,
    attributesAt(index) {
      const slot = regionPerm[index]!;
      let r = 0;
      while (slot >= regionEnds[r]!) r++;
      const tenure = createRng(seed, hashString('tenure'), index);
      return {
        customerId: String(FIRST_CUSTOMER_ID + index),
        gender: genderPerm[index]! < females ? 'F' : 'M',
        region: regions[r]!,
        tenureMonths: calibration.tenureMonths.min + tenure.int(tenureSpan),
      };
    },
    activityQuantileAt: (index) => (activityPerm[index]! + 0.5) / n,
  };
}

/** Largest-remainder apportionment of n over the given weights. */
export function allocate(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

function cumulativeCounts(counts: number[]): number[] {
  let acc = 0;
  return counts.map((c) => (acc += c));
}
