import type { CategoryMap } from '../features/category-map.ts';
import type { SalesLine } from './shop-rows.ts';

/**
 * The real-data statistic the generator's `strength` is set from: the repeat-category rate.
 *
 * For one shopper in one calendar month, take every pair of order lines that belong to two
 * different transactions; R is the share of those pairs whose model categories agree,
 * averaged over (shopper, month) units that have at least one such pair. Pairs inside one
 * basket are left out (baskets have their own correlation that the generator does not model).
 * Each unit's rate is an unbiased estimate of sum_c p_uc^2 whatever its size, so R can be
 * compared between data sets of different activity. With no shopper signal R equals the
 * population's sum_c share_c^2 (0.240 for the 16 model categories).
 */
export interface RepeatRate {
  /** Mean over units of the unit's same-category share of cross-transaction pairs. */
  rate: number;
  /** sum_c share_c^2 of the same lines: what R would be with no shopper signal. */
  baseline: number;
  units: number;
  lines: number;
}

export interface RepeatRateAccumulator {
  add(line: Pick<SalesLine, 'customerId' | 'transactionId' | 'date' | 'category'>): void;
  result(): RepeatRate;
}

interface Unit {
  /** transaction id -> category counts */
  tx: Map<string, Map<number, number>>;
}

export function createRepeatRateAccumulator(map: CategoryMap): RepeatRateAccumulator {
  const units = new Map<string, Unit>();
  const totals = new Float64Array(map.model.length);
  let lines = 0;
  return {
    add(l) {
      const c = map.modelIndexOfRaw(l.category);
      if (c < 0) return;
      lines++;
      totals[c] = totals[c]! + 1;
      const key = `${l.customerId}|${l.date.slice(0, 7)}`;
      let u = units.get(key);
      if (!u) units.set(key, (u = { tx: new Map() }));
      let counts = u.tx.get(l.transactionId);
      if (!counts) u.tx.set(l.transactionId, (counts = new Map()));
      counts.set(c, (counts.get(c) ?? 0) + 1);
    },
    result() {
      let sum = 0;
      let n = 0;
      for (const u of units.values()) {
        const r = unitRate(u);
        if (r === null) continue;
        sum += r;
        n++;
      }
      const baseline = totals.reduce((a, x) => a + (x / Math.max(1, lines)) ** 2, 0);
      return { rate: n ? sum / n : NaN, baseline, units: n, lines };
    },
  };
}

/** Same-category share of cross-transaction pairs, or null when there is no such pair. */
function unitRate(u: Unit): number | null {
  if (u.tx.size < 2) return null;
  const byCat = new Map<number, { sum: number; sumSq: number }>();
  let all = 0;
  let allSq = 0;
  for (const counts of u.tx.values()) {
    let size = 0;
    for (const [c, k] of counts) {
      size += k;
      const s = byCat.get(c) ?? { sum: 0, sumSq: 0 };
      s.sum += k;
      s.sumSq += k * k;
      byCat.set(c, s);
    }
    all += size;
    allSq += size * size;
  }
  const pairs = (all * all - allSq) / 2;
  if (pairs <= 0) return null;
  let same = 0;
  for (const s of byCat.values()) same += (s.sum * s.sum - s.sumSq) / 2;
  return same / pairs;
}
