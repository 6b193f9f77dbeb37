import { computeUserFeatures, type FeatureOptions } from '../../features/compute-features.ts';
import type { UserFeatures } from '../../streams/features/user-features.ts';
import type { HistorySource, ShopperHistory } from './shopper-history.ts';

const DAY_MS = 86_400_000;

/**
 * One training/evaluation example: what was known about a shopper at snapshot time `t`, and
 * what they bought next. Features come from computeUserFeatures at `t` (the feature store's own
 * code); the label only from the first order placed in (t, t + horizon].
 */
export interface Sample {
  userId: number;
  /** Snapshot time, epoch ms. */
  t: number;
  features: UserFeatures;
  /** Lines per model category in the next order: the soft training target. */
  labelCounts: Float32Array;
  /** Distinct categories of the next order: the relevant set for Recall/NDCG/HitRate@k. */
  relevant: number[];
  /** Category with the most lines in the next order (first line breaks ties): for accuracy and macro P/R/F1. */
  primary: number;
  /** When the next order was placed (epoch ms); the generator's truth is read then. */
  labelAt: number;
}

export interface SnapshotOptions {
  /** First and last snapshot window (epoch ms); a snapshot t needs t + horizon <= to. */
  from: number;
  to: number;
  stepDays: number;
  horizonDays: number;
  numCategories: number;
  feature?: Omit<FeatureOptions, 'numCategories'>;
}

/** Snapshot times at 00:00 UTC, every stepDays, each with its whole label window inside [from, to]. */
export function snapshotTimes(opts: Pick<SnapshotOptions, 'from' | 'to' | 'stepDays' | 'horizonDays'>): number[] {
  const out: number[] = [];
  const first = Math.ceil(opts.from / DAY_MS) * DAY_MS;
  for (let t = first; t + opts.horizonDays * DAY_MS <= opts.to; t += opts.stepDays * DAY_MS) out.push(t);
  return out;
}

/**
 * The label at t: the first order after t within the horizon that was not later cancelled or
 * refunded (a cancelled order is not a purchase to recommend towards). Reads only orders after t.
 */
export function labelAt(
  history: ShopperHistory,
  t: number,
  horizonDays: number,
  K: number,
): Omit<Sample, 'userId' | 't' | 'features'> | null {
  const end = t + horizonDays * DAY_MS;
  let next: ShopperHistory['orders'][number] | null = null;
  for (const o of history.orders) {
    const at = o.placedAt.getTime();
    if (at <= t || at > end || o.status === 'cancelled' || o.status === 'refunded') continue;
    if (!next || at < next.placedAt.getTime() || (at === next.placedAt.getTime() && o.orderId < next.orderId)) next = o;
  }
  if (!next) return null;
  const labelCounts = new Float32Array(K);
  let primary = -1;
  for (const l of next.lines) {
    if (l.category < 0 || l.category >= K) continue;
    labelCounts[l.category]! += 1;
    if (primary < 0 || labelCounts[l.category]! > labelCounts[primary]!) primary = l.category;
  }
  if (primary < 0) return null;
  const relevant: number[] = [];
  labelCounts.forEach((c, i) => {
    if (c > 0) relevant.push(i);
  });
  return { labelCounts, relevant, primary, labelAt: next.placedAt.getTime() };
}

/** All samples of one shopper: a snapshot contributes only if a purchase follows within the horizon. */
export function samplesOf(history: ShopperHistory, times: readonly number[], opts: SnapshotOptions): Sample[] {
  const out: Sample[] = [];
  for (const t of times) {
    const label = labelAt(history, t, opts.horizonDays, opts.numCategories);
    if (!label) continue;
    const features = computeUserFeatures(
      { userId: history.userId, profile: history.profile, orders: history.orders, asOf: new Date(t) },
      { ...opts.feature, numCategories: opts.numCategories },
    );
    out.push({ userId: history.userId, t, features, ...label });
  }
  return out;
}

/** Streams the source once; memory holds the samples, not the histories. */
export async function buildSamples(
  source: HistorySource,
  opts: SnapshotOptions,
  onShopper?: (n: number) => void,
): Promise<Sample[]> {
  const times = snapshotTimes(opts);
  const out: Sample[] = [];
  let n = 0;
  for await (const h of source.histories()) {
    for (const s of samplesOf(h, times, opts)) out.push(s);
    onShopper?.(++n);
  }
  return out;
}
