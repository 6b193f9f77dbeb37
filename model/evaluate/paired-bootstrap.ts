import { mulberry32 } from '../data/seeded-random.ts';

/**
 * How sure is "the model beats this baseline"? A paired bootstrap over shoppers: snapshots of
 * one shopper are correlated (same history, overlapping label windows), so whole shoppers are
 * resampled, never single rows. Both scorers are always compared on the same resampled rows.
 */
export interface PairedDifference {
  /** Mean of (a - b) over all rows. */
  diff: number;
  /** 95% percentile interval of the resampled mean difference. */
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** Per-group sums of (a - b) and row counts, groups in first-seen order. */
function groupSums(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  groups: ArrayLike<number>,
): { sums: Float64Array; counts: Float64Array } {
  const index = new Map<number, number>();
  const sums: number[] = [],
    counts: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    let g = index.get(groups[i]!);
    if (g === undefined) {
      g = sums.length;
      index.set(groups[i]!, g);
      sums.push(0);
      counts.push(0);
    }
    sums[g]! += a[i]! - b[i]!;
    counts[g]!++;
  }
  return { sums: Float64Array.from(sums), counts: Float64Array.from(counts) };
}

/** a[i] and b[i] are per-row metric values of two scorers on row i; groups[i] is its shopper. */
export function pairedDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  groups: ArrayLike<number>,
  opts: BootstrapOptions = {},
): PairedDifference {
  if (a.length !== b.length || a.length !== groups.length)
    throw new RangeError('paired rows must have the same length');
  if (a.length === 0) return { diff: 0, lo: 0, hi: 0 };
  const { sums, counts } = groupSums(a, b, groups);
  const G = sums.length;
  const total = sums.reduce((x, y) => x + y, 0);
  // Seeded, so the same evaluation prints the same interval.
  const next = mulberry32(opts.seed ?? 1);
  const means = new Float64Array(opts.resamples ?? 1000);
  for (let r = 0; r < means.length; r++) {
    let s = 0,
      n = 0;
    for (let i = 0; i < G; i++) {
      const g = Math.floor(next() * G);
      s += sums[g]!;
      n += counts[g]!;
    }
    means[r] = s / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(means.length - 1, Math.floor(q * means.length))]!;
  return { diff: total / a.length, lo: at(0.025), hi: at(0.975) };
}
