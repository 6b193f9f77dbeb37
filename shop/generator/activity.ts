import type { Calibration } from '../calibration.ts';
import { cumulative, normalQuantile, pickCumulative, poisson, type Rng } from '../rng.ts';
import { daysFromCivil } from './time.ts';

/**
 * When a shopper buys: a heavy-tailed number of transactions, bunched into a few active
 * months (the real shoppers buy ~17 times within ~1.8 distinct months of 2019).
 */
export interface ActivityModel {
  /** Days (since 2019-01-01) of this shopper's transactions, ascending; quantile: activity rank in (0, 1). */
  schedule(rng: Rng, quantile: number): Int32Array;
  /** Expected transactions per shopper, after `scale`. */
  readonly meanTransactions: number;
}

// Log-normal transaction counts: sigma 1 gives the long tail of the real data (most shoppers
// buy a handful of times, a few hundred times); mu is set so the mean is 17.07 after rounding.
const SIGMA = 1.0;
// Extra active months beyond the first ~ Poisson(lambda), truncated by the count of transactions
// and by 12; lambda is the value that gives a mean of 1.8 active months after truncation.
const EXTRA_MONTHS = 0.84;

export function createActivityModel(deps: { calibration: Calibration; scale?: number }): ActivityModel {
  const cal = deps.calibration;
  const scale = deps.scale ?? 1;
  const meanTx = cal.transactions / cal.shoppers;
  // max(1, round(.)) leaves the log-normal mean unchanged to 0.01% at these values.
  const mu = Math.log(meanTx) - (SIGMA * SIGMA) / 2;
  const monthCum = cumulative(cal.monthWeights);
  const monthStart = Array.from({ length: 13 }, (_, m) => daysFromCivil(2019, m, 1));
  return {
    meanTransactions: meanTx * scale,
    schedule(rng, quantile) {
      const n = Math.max(1, Math.round(Math.exp(mu + SIGMA * normalQuantile(quantile)) * scale));
      const k = Math.min(n, 12, 1 + poisson(rng, EXTRA_MONTHS));
      const months = pickMonths(rng, monthCum, k);
      const days = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        // Each active month gets at least one transaction, the rest spread evenly at random.
        const m = i < k ? months[i]! : months[rng.int(k)]!;
        days[i] = monthStart[m]! + rng.int(monthStart[m + 1]! - monthStart[m]!);
      }
      return days.sort();
    },
  };
}

/** k distinct months, weighted like the real monthly activity, without replacement. */
function pickMonths(rng: Rng, monthCum: Float64Array, k: number): number[] {
  const out: number[] = [];
  while (out.length < k) {
    const m = pickCumulative(monthCum, rng.next());
    if (!out.includes(m)) out.push(m);
  }
  return out;
}
