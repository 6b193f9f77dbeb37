import { pairedDifference, type BootstrapOptions } from './paired-bootstrap.ts';
import { rankingPerRow, type Truth } from './metrics.ts';

/** The model minus one baseline on one metric, over the same held-out rows. */
export interface Comparison {
  model: string;
  baseline: string;
  /** e.g. "ndcg@3". */
  metric: string;
  diff: number;
  /** 95% interval of diff, paired bootstrap over shoppers. */
  lo: number;
  hi: number;
}

/** The metrics the targets are stated on. */
export const COMPARED = [
  ['ndcg', 3],
  ['recall', 3],
] as const;

export interface ScoredRows {
  name: string;
  /** Row-major [n, K]. */
  scores: ArrayLike<number>;
}

/**
 * Model vs each baseline on NDCG@3 and Recall@3 with an interval: on a small shop the
 * baselines sit within a few thousandths of each other, and a point estimate alone hides
 * whether a lead is more than test noise.
 */
export function compareToBaselines(
  model: ScoredRows,
  baselines: readonly ScoredRows[],
  truth: readonly Truth[],
  shoppers: ArrayLike<number>,
  K: number,
  opts?: BootstrapOptions,
): Comparison[] {
  const out: Comparison[] = [];
  for (const [metric, k] of COMPARED) {
    const mine = rankingPerRow(model.scores, truth, K, metric, k);
    for (const b of baselines) {
      const theirs = rankingPerRow(b.scores, truth, K, metric, k);
      out.push({
        model: model.name,
        baseline: b.name,
        metric: `${metric}@${k}`,
        ...pairedDifference(mine, theirs, shoppers, opts),
      });
    }
  }
  return out;
}

const signed = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(4)}`;

/** "ndcg@3 +0.0181 [+0.0073, +0.0294]" */
export function formatDifference(c: Pick<Comparison, 'metric' | 'diff' | 'lo' | 'hi'>): string {
  return `${c.metric} ${signed(c.diff)} [${signed(c.lo)}, ${signed(c.hi)}]`;
}
